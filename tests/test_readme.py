"""The README's example runs as printed and computes what its comments say."""

import pathlib
import re

import numpy as np

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_the_helpers_example_runs_and_its_comments_hold():
    text = README.read_text()
    section = text[text.index("## The helpers in one screen") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    ns = {}
    exec(compile(code, "README.md", "exec"), ns)
    task, model, states = ns["task"], ns["model"], ns["states"]
    L, N, D = task.X_test.shape
    assert [name for name, _ in model.named_parameters()][:3] == ["W_o", "V_o", "b_o"]
    assert ns["test_mse"] < 1e-3 and len(ns["history"]) >= 1
    assert ns["yhat"].shape == (N, D)
    assert sorted(states) == ["f", "h", "i", "o", "s", "s_tilde"]
    assert all(tuple(v.shape) == (L, N, model.q) for v in states.values())
    np.testing.assert_allclose(
        ns["yhat"], model(task.X_test).detach().numpy(), rtol=1e-6
    )
    assert tuple(ns["rnn"].states(task.X_test)["h"].shape) == (L, N, 8)
    # the error message quoted under the example is the model's own
    quoted = re.search(r"\(`ValueError: (.*?)`\)", section).group(1)
    try:
        model(np.zeros((L, N, 2)))
    except ValueError as err:
        assert str(err) == quoted
    else:
        raise AssertionError("a 2-column X was accepted")
