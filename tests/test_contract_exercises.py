"""helpers.exercises keeps its promise: any answer of any type gets a verdict, and only
the exact right answer gets "Correct."; the notebook author's arguments are checked by
name.
"""

import contextlib
import io

import numpy as np
import torch
from contract import ANY, NOT_AN_INTEGER, refused
from hypothesis import given
from hypothesis import strategies as st

from helpers import exercises
from helpers.data import make_lag_dataset
from helpers.exercises.verdicts import as_whole, as_whole_sequence


def verdict_of(call):
    """Run a check; it must return a Verdict and print one verdict line, never raise."""
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        v = call()
    assert isinstance(v, exercises.Verdict)
    out = printed.getvalue()
    assert out.startswith(("Correct. ", "Not yet. ", exercises.NOT_DONE)), out
    assert out.startswith("Correct. ") == bool(v)
    return bool(v)


@given(X_shape=ANY, Y_shape=ANY)
def test_check_shapes_any_answer(X_shape, Y_shape):
    ok = verdict_of(lambda: exercises.check_shapes(50, 4, 2, X_shape, Y_shape))
    # whole numbers in any form (4.0, np.int64(4), a tensor), in any sequence
    right = as_whole_sequence(X_shape) == (4, 46, 2) and as_whole_sequence(Y_shape) == (
        46,
        2,
    )
    assert ok == right


@given(
    window=st.one_of(
        ANY,
        st.just([10, 11, 12]),
        st.just(np.array([10, 11, 12])),
        st.just([10.0, 11.0, 12.0]),
        st.just([10.2, 11.4, 12.3]),
    ),
    target=st.one_of(ANY, st.just(13), st.just(np.int64(13)), st.just(13.0)),
)
def test_check_window_any_answer(window, target):
    ok = verdict_of(lambda: exercises.check_window(3, 10, window, target))
    right = as_whole_sequence(window) == (10, 11, 12) and as_whole(target) == 13
    assert ok == right


@given(
    answer=st.one_of(ANY, st.sampled_from([89, np.int64(89), 89.0, "89", 329])),
    cell=st.sampled_from(["RNN", "rnn", " Rnn ", "LSTM", "lstm"]),
)
def test_check_param_count_any_answer(answer, cell):
    expected = 89 if cell.strip().upper() == "RNN" else 329
    ok = verdict_of(lambda: exercises.check_param_count(1, 8, answer, cell=cell))
    assert ok == (as_whole(answer) == expected)


@given(
    cell=st.one_of(st.sampled_from(["GRU", "", None, 3, ["RNN"]])),
    D=st.one_of(st.just(1), NOT_AN_INTEGER, st.just(0)),
)
def test_the_authors_arguments_are_checked_by_name(cell, D):
    refused(lambda: exercises.check_param_count(1, 8, 89, cell=cell), ["cell"])
    if D != 1 or isinstance(D, bool):
        refused(lambda: exercises.check_param_count(D, 8, 89), ["D"])
        refused(lambda: exercises.check_shapes(50, D, 2, (1, 1, 1), (1, 1)), ["L"])
        refused(lambda: exercises.check_window(D, 10, [1], 1), ["lags"])
        refused(lambda: exercises.check_vanishing_bound(0.8, D, 0.1), ["distance"])


@given(
    answer=st.one_of(ANY, st.sampled_from(["a", "b", "c", "f", "i", "o", " B ", "F"]))
)
def test_multiple_choice_any_answer(answer):
    ok_forget = verdict_of(lambda: exercises.check_forget_gate(answer))
    ok_memory = verdict_of(lambda: exercises.check_memory_gate(answer))
    text = answer.strip().lower() if isinstance(answer, str) else None
    assert ok_forget == (text == "b") and ok_memory == (text == "f")


@given(
    answer=st.one_of(
        ANY,
        st.sampled_from(
            [0.8**10, np.float32(0.8**10), "0.107", torch.tensor(0.8**10), 8.0]
        ),
    )
)
def test_check_vanishing_bound_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_vanishing_bound(0.8, 10, answer))
    try:
        value = (
            float(torch.as_tensor(answer).reshape(-1)[0])
            if torch.as_tensor(answer).numel() == 1
            and not isinstance(answer, (str, bool, np.bool_))
            else None
        )
    except (TypeError, ValueError, RuntimeError):
        value = None
    is_bool = isinstance(answer, (bool, np.bool_)) or getattr(
        answer, "dtype", None
    ) in (np.bool_, torch.bool)
    assert ok == (
        value is not None
        and not is_bool
        # 3 significant digits: 0.107 (and anything that rounds the same way)
        and abs(value - 0.8**10) <= 0.0005 * (1 + 1e-9)
    )


def _rnn_step(h, x, U, W, b):
    return np.tanh(h @ W + x @ U + b)


def _clip(grads, m):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * (m / n) for g in grads] if n > m else grads


def _lstm_step(h, s, x, p):
    sig = lambda z: 1 / (1 + np.exp(-z))
    gate = lambda g, act: act(h @ p[f"W_{g}"] + x @ p[f"V_{g}"] + p[f"b_{g}"])
    s = gate("f", sig) * s + gate("i", sig) * gate("s", np.tanh)
    return gate("o", sig) * np.tanh(s), s


RIGHT = {
    "check_rnn_step": _rnn_step,
    "check_clip": _clip,
    "check_lstm_step": _lstm_step,
    "check_lag_function": make_lag_dataset,
}


def _variants(right):
    """Learner functions: right (as numpy, list or grad tensor), returning anything,
    raising."""

    def grad_tensor(*a):
        out = right(*a)
        return (
            tuple(torch.tensor(np.asarray(o), requires_grad=True) for o in out)
            if isinstance(out, (tuple, list))
            else torch.tensor(np.asarray(out), requires_grad=True)
        )

    return st.one_of(
        st.sampled_from(
            [
                ("right", right),
                ("right", grad_tensor),
                ("wrong", lambda *a: 1 / 0),
                ("wrong", lambda *a: None),
                ("wrong", lambda *a: right(*a)[::-1]),
                ("wrong", "fn"),
                ("wrong", None),
            ]
        ),
        ANY.map(lambda v: ("wrong", lambda *a: v)),
    )


@given(data=st.data(), name=st.sampled_from(sorted(RIGHT)))
def test_function_checks_any_function(data, name):
    kind, fn = data.draw(_variants(RIGHT[name]))
    ok = verdict_of(lambda: getattr(exercises, name)(fn))
    assert ok == (kind == "right")


@given(model=st.one_of(ANY, st.sampled_from(["untrained RNN", "D=2 RNN", "Linear"])))
def test_check_sine_model_any_answer(model):
    from helpers.models import RNN

    m = (
        {
            "untrained RNN": RNN(1, 2),
            "D=2 RNN": RNN(2, 2),
            "Linear": torch.nn.Linear(1, 1),
        }.get(model, model)
        if isinstance(model, str)
        else model
    )
    assert not verdict_of(lambda: exercises.check_sine_model(m, 3))


# ----------------------------------------------------------------- notebook 05


def _sunspots_answers():
    """The right answers of notebook 05's checks, computed here from the data."""
    from statsmodels.datasets import sunspots

    y = sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(float)
    z = (y - y[:216].mean()) / y[:216].std()  # scaled by the training block
    mse = np.mean((z[-62:] - z[-63:-1]) ** 2)
    val = {}
    # exercise 2: AR(L) by least squares, scored on the 20 validation targets before
    # the 62 test targets
    for L in range(1, 21):
        X, Y = make_lag_dataset(z, L)
        n_train = len(Y) - 82
        Z = np.concatenate(list(X[:, :n_train]) + [np.ones((n_train, 1))], axis=1)
        theta = np.linalg.lstsq(Z, Y[:n_train], rcond=None)[0]
        Zv = np.concatenate(
            list(X[:, n_train : n_train + 20]) + [np.ones((20, 1))], axis=1
        )
        val[L] = np.mean((Zv @ theta - Y[n_train : n_train + 20]) ** 2)
    return mse, min(val, key=val.get)


RIGHT_MSE, RIGHT_L = _sunspots_answers()


RIGHT_FORMS = [
    RIGHT_MSE,
    np.float32(RIGHT_MSE),
    [RIGHT_MSE],
    torch.tensor(RIGHT_MSE, requires_grad=True),
]


@given(
    answer=st.one_of(
        ANY,
        st.sampled_from(RIGHT_FORMS + [str(RIGHT_MSE), RIGHT_MSE * 1.01, True]),
    )
)
def test_check_persistence_mse_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_persistence_mse(answer))
    if any(answer is right for right in RIGHT_FORMS):
        assert ok
    if ok:  # one number (not text, not bool) within the check's tolerance
        assert not isinstance(answer, (str, bytes, bool, np.bool_))
        value = answer.detach().numpy() if torch.is_tensor(answer) else answer
        assert np.size(value) == 1
        # 3 significant digits
        assert abs(float(np.ravel(value)[0]) - RIGHT_MSE) <= 0.0005 * (1 + 1e-9)


@given(
    answer=st.one_of(
        ANY,
        st.sampled_from(
            [RIGHT_L, np.int64(RIGHT_L), float(RIGHT_L), str(RIGHT_L), 9, 25, -1]
        ),
    )
)
def test_check_ar_order_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_ar_order(answer))
    assert ok == (as_whole(answer) == RIGHT_L)


@given(answer=st.one_of(ANY, st.sampled_from(["b", " B ", "a", "c", "bb"])))
def test_check_leak_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_leak(answer))
    assert ok == (isinstance(answer, str) and answer.strip().lower() == "b")


def _right_delta():
    from helpers.exercises.horizons import _sunspot_residuals

    R = _sunspot_residuals()
    rank = int(np.ceil((len(R) + 1) * 0.9))
    return float(np.sort(np.abs(R[:, 2]))[rank - 1])


RIGHT_DELTA = _right_delta()


@given(
    answer=st.one_of(
        ANY,
        st.sampled_from(
            [RIGHT_DELTA, np.float32(RIGHT_DELTA), [RIGHT_DELTA], str(RIGHT_DELTA)]
        ),
    )
)
def test_check_conformal_radius_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_conformal_radius(answer))
    if ok:
        assert not isinstance(answer, (str, bytes, bool, np.bool_))
        value = float(
            np.ravel(answer.detach().numpy() if torch.is_tensor(answer) else answer)[0]
        )
        assert abs(value - RIGHT_DELTA) <= 0.005 * (1 + 1e-9)


@given(answer=st.one_of(ANY, st.sampled_from([204, 204.0, np.int64(204), "204", 123])))
def test_check_multi_output_params_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_multi_output_params(answer))
    assert ok == (as_whole(answer) == 204)


@given(answer=st.one_of(ANY, st.sampled_from(["c", " C ", "a", "b", "cc"])))
def test_check_exchangeable_any_answer(answer):
    ok = verdict_of(lambda: exercises.check_exchangeable(answer))
    assert ok == (isinstance(answer, str) and answer.strip().lower() == "c")
