import numpy as np
import pytest

from helpers import exercises
from helpers.data import make_lag_dataset
from helpers.exercises.verdicts import reset_attempts


@pytest.fixture(autouse=True)
def _fresh_attempts():
    # the hints escalate with repeated wrong attempts: each test starts afresh
    reset_attempts()


def test_check_shapes(capsys):
    assert exercises.check_shapes(50, 4, 2, (4, 46, 2), (46, 2))
    assert not exercises.check_shapes(50, 4, 2, (46, 4, 2), (46, 2))
    assert "swapped" in capsys.readouterr().out
    assert not exercises.check_shapes(50, 4, 2, (4, 50, 2), (50, 2))
    assert "N is not T" in capsys.readouterr().out
    assert not exercises.check_shapes(50, 4, 2, ..., ...)
    assert "Not answered" in capsys.readouterr().out


def test_check_window(capsys):
    assert exercises.check_window(3, 10, [10, 11, 12], 13)
    assert not exercises.check_window(3, 10, [12, 11, 10], 13)
    assert "OLDEST" in capsys.readouterr().out
    assert not exercises.check_window(3, 10, [10, 11, 12], 12)
    assert "newest input" in capsys.readouterr().out
    assert not exercises.check_window(3, 10, [10, 11, 12], 15)
    assert "right after" in capsys.readouterr().out
    assert not exercises.check_window(3, 10, [10, 11, 12], 15)
    assert "Y[n] = y(n + L)" in capsys.readouterr().out


def test_check_lag_function_diagnoses_common_slips(capsys):
    assert exercises.check_lag_function(make_lag_dataset)

    def reversed_lags(series, lags):
        X, Y = make_lag_dataset(series, lags)
        return X[::-1], Y

    assert not exercises.check_lag_function(reversed_lags)
    assert "reverse order" in capsys.readouterr().out

    def no_state_axis(series, lags):
        X, Y = make_lag_dataset(series, lags)
        return X[..., 0], Y

    assert not exercises.check_lag_function(no_state_axis)
    assert "keep the state axis D" in capsys.readouterr().out

    def target_off_by_one(series, lags):
        X, _Y = make_lag_dataset(series, lags)
        return X, X[-1]

    assert not exercises.check_lag_function(target_off_by_one)
    assert "compare Y[0]" in capsys.readouterr().out
    assert not exercises.check_lag_function(target_off_by_one)
    assert "Y[n] should be y(n + L)" in capsys.readouterr().out

    assert not exercises.check_lag_function(lambda s, l: None)
    assert "returns None" in capsys.readouterr().out
    assert not exercises.check_lag_function(lambda s, l: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_check_param_count(capsys):
    assert exercises.check_param_count(3, 5, 63)
    assert not exercises.check_param_count(3, 5, 63 - 15 - 3)
    assert "output layer" in capsys.readouterr().out
    assert exercises.check_param_count(2, 3, 80, cell="LSTM")
    assert not exercises.check_param_count(2, 3, 18 + 8, cell="LSTM")
    assert "four" in capsys.readouterr().out


def test_check_param_count_names_pytorchs_second_bias(capsys):
    # nn.RNN and nn.LSTM keep two biases: q (RNN) or 4q (LSTM) more than the lecture
    for cell, extra in (("RNN", 5), ("LSTM", 4 * 5)):
        v = exercises.check_param_count(3, 5, exercises_expected(cell) + extra, cell)
        assert not v and "PyTorch's count" in capsys.readouterr().out


def exercises_expected(cell, D=3, q=5):
    per_gate = q * q + D * q + q
    return (per_gate if cell == "RNN" else 4 * per_gate) + q * D + D


def test_check_rnn_step(capsys):
    assert exercises.check_rnn_step(lambda h, x, U, W, b: np.tanh(h @ W + x @ U + b))
    assert not exercises.check_rnn_step(lambda h, x, U, W, b: h @ W + x @ U + b)
    assert "tanh" in capsys.readouterr().out
    assert not exercises.check_rnn_step(
        lambda h, x, U, W, b: np.tanh(h @ U + x @ W + b)
    )
    assert "which weight multiplies which" in capsys.readouterr().out
    assert not exercises.check_rnn_step(lambda h, x, U, W, b: np.tanh(x @ U + b))
    assert "previous state h is missing" in capsys.readouterr().out


def _lstm_step(h, s, x, p, swap_gates=False):
    sig = lambda z: 1 / (1 + np.exp(-z))
    o = sig(h @ p["W_o"] + x @ p["V_o"] + p["b_o"])
    i = sig(h @ p["W_i"] + x @ p["V_i"] + p["b_i"])
    f = sig(h @ p["W_f"] + x @ p["V_f"] + p["b_f"])
    s_tilde = np.tanh(h @ p["W_s"] + x @ p["V_s"] + p["b_s"])
    s = (i * s + f * s_tilde) if swap_gates else (f * s + i * s_tilde)
    return o * np.tanh(s), s


def test_check_lstm_step(capsys):
    assert exercises.check_lstm_step(_lstm_step)
    assert not exercises.check_lstm_step(
        lambda h, s, x, p: _lstm_step(h, s, x, p, swap_gates=True)
    )
    assert "forget gate f multiplies the old s" in capsys.readouterr().out
    assert not exercises.check_lstm_step(
        lambda h, s, x, p: _lstm_step(h, s, x, p)[::-1]
    )
    assert "(h, s)" in capsys.readouterr().out
    assert not exercises.check_lstm_step(
        lambda h, s, x, p: (
            np.tanh(_lstm_step(h, s, x, p)[1]),
            _lstm_step(h, s, x, p)[1],
        )
    )
    assert "output gate is missing" in capsys.readouterr().out


def test_multiple_choice_and_numeric_checks(capsys):
    assert exercises.check_forget_gate("b") and not exercises.check_forget_gate("a")
    assert exercises.check_memory_gate("f") and not exercises.check_memory_gate("i")
    assert exercises.check_vanishing_bound(0.8, 10, 0.8**10)
    assert not exercises.check_vanishing_bound(0.8, 10, 8.0)
    assert "multiply" in capsys.readouterr().out


def test_check_clip(capsys):
    def good(grads, m):
        n = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * (m / n) for g in grads] if n > m else grads

    assert exercises.check_clip(good)
    assert not exercises.check_clip(lambda gs, m: [np.clip(g, -m, m) for g in gs])
    assert "clips each entry" in capsys.readouterr().out
    # rescales short gradients too
    assert not exercises.check_clip(
        lambda gs, m: [g * m / max(np.linalg.norm(g), 1e-9) for g in gs]
    )
    assert "unchanged" in capsys.readouterr().out


def test_check_sine_model(capsys):
    from helpers.data import sine_task
    from helpers.models import RNN
    from helpers.train import fit

    task = sine_task(3)
    model = RNN(1, 8)
    assert not exercises.check_sine_model(model, 3)  # untrained
    fit(model, task.X_train, task.Y_train)
    assert exercises.check_sine_model(model, 3)


def test_a_verdict_is_true_or_false_and_jupyter_shows_only_the_printed_message(capsys):
    from IPython.core.formatters import DisplayFormatter

    right, wrong, unanswered = (
        exercises.check_param_count(3, 5, a) for a in (63, 10, ...)
    )
    assert right and not wrong and not unanswered
    # A bare False would show as an extra "False" line under the message in the notebook.
    for verdict in (right, wrong, unanswered):
        assert DisplayFormatter().format(verdict) == ({}, {})
    right_line, wrong_line, unanswered_line = capsys.readouterr().out.splitlines()
    assert right_line.startswith("Correct. ") and right_line.endswith("63 in all.")
    assert wrong_line.startswith("Not yet. ")
    assert unanswered_line == exercises.NOT_DONE


def test_letter_answers_in_the_forms_people_type(capsys):
    # brackets, a one-item list, the choice's own words, the gate's symbol with its step
    for right in ("(b)", "b)", ["b"], " B "):
        assert exercises.check_forget_gate(right), right
    for right in ("forget", "forget gate", "f_k", "F"):
        assert exercises.check_memory_gate(right), right
    for wrong in ("output gate", "i_k", "(a)"):
        assert not exercises.check_memory_gate(wrong), wrong


def test_the_rounding_hint_is_only_for_rounding(capsys):
    from helpers.exercises.verdicts import close_but_rounded

    # 0.8**10 = 0.1074: rounded too early, or one off in the last digit
    assert all(close_but_rounded(v, 0.8**10) for v in (0.1, 0.11, 0.108))
    # an off-by-one count of targets is a method slip, not a rounding one
    assert not any(close_but_rounded(v, 0.9468) for v in (0.9136, 0.9797))


def test_clip_refuses_a_loose_threshold_and_the_squared_length(capsys):
    def length(grads):
        return np.sqrt(sum(float((g**2).sum()) for g in grads))

    def loose(grads, max_norm):
        n = length(grads)
        return [g * max_norm / n for g in grads] if n > 1.05 * max_norm else grads

    def squared(grads, max_norm):
        n2 = length(grads) ** 2
        return [g * max_norm / np.sqrt(n2) for g in grads] if n2 > max_norm else grads

    assert not exercises.check_clip(loose)
    assert not exercises.check_clip(squared)


def test_rnn_step_must_hold_at_every_size(capsys):
    def right_only_at_n4(h, x, U, W, b):
        # a learner's shortcut that only works for the first test's sizes
        out = np.tanh(h @ W + x @ U + b)
        return (
            out if len(h) == 4 else out.T if out.shape[0] == out.shape[1] else out * 0
        )

    assert not exercises.check_rnn_step(right_only_at_n4)
    assert "at N = " in capsys.readouterr().out
    assert exercises.check_forget_gate("option b")


def test_a_whole_number_in_a_one_item_list_is_that_number(capsys):
    assert exercises.check_param_count(3, 5, [63])
    assert exercises.check_param_count(3, 5, np.array([63.0]))
    assert not exercises.check_param_count(3, 5, [63, 1])


def test_lstm_step_names_a_slip_made_in_every_gate(capsys):
    def sig(z):
        return 1 / (1 + np.exp(-z))

    def no_bias(h, s, x, params):
        def gate(g, act):
            return act(h @ params[f"W_{g}"] + x @ params[f"V_{g}"])

        o, i, f = gate("o", sig), gate("i", sig), gate("f", sig)
        s_new = f * s + i * gate("s", np.tanh)
        return o * np.tanh(s_new), s_new

    assert not exercises.check_lstm_step(no_bias)
    assert "No gate has its bias" in capsys.readouterr().out
