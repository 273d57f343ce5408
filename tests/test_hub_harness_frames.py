"""The hub harness counts a picture a widget redraws in place (helpers.live): its PNG
travels as a buffer of a comm message, which Jupyter Server sends as a binary frame."""

import hub_harness as harness
from jupyter_server.services.kernels.connection.base import serialize_binary_message

from helpers.live import LiveFigure


def _frame(msg_type, content, buffers=()):
    msg = {
        "header": {"msg_type": msg_type, "msg_id": "b"},
        "parent_header": {"msg_id": "a"},
        "metadata": {},
        "content": content,
        "channel": "iopub",
        "buffers": list(buffers),
    }
    return serialize_binary_message(msg)


def test_a_picture_sent_to_a_widget_counts_once():
    live = LiveFigure(figsize=(2, 1))
    live.axes[0].plot([0, 1])
    png = live.render()
    update = {"data": {"method": "update", "state": {}, "buffer_paths": [["value"]]}}
    msg = harness.decode_binary(_frame("comm_msg", update, [png]))
    assert msg["header"]["msg_type"] == "comm_msg" and bytes(msg["buffers"][0]) == png
    # a slider's echo carries no picture; a displayed PNG still counts
    echo = {
        "data": {"method": "echo_update", "state": {"value": 3}, "buffer_paths": []}
    }
    shown = {"data": {"image/png": "iVBOR"}, "metadata": {}}
    messages = [
        msg,
        harness.decode_binary(_frame("comm_msg", echo)),
        {"header": {"msg_type": "display_data"}, "content": shown},
    ]
    assert harness.images_in(messages) == 2
