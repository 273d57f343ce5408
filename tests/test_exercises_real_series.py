"""Notebook 05's exercise checks: every answer gets a verdict, only the right one is
"Correct.", and the right answers are computed independently here."""

import numpy as np
import pytest
from statsmodels.tsa.ar_model import AutoReg

from helpers import exercises
from helpers.series import load_series

STRANGE = [None, "0.9", [1, 2], {"a": 1}, float("nan"), -3, True]


def _scaled_sunspots():
    _, y = load_series("sunspots")
    train = y[: 309 - 31 - 62]
    return (y - train.mean()) / train.std()


def test_persistence_mse_by_hand(capsys):
    z = _scaled_sunspots()
    right = np.mean((z[-62:] - z[-63:-1]) ** 2)
    assert exercises.check_persistence_mse(right)
    assert capsys.readouterr().out.startswith("Correct.")
    _, y = load_series("sunspots")
    assert not exercises.check_persistence_mse(np.mean((y[-62:] - y[-63:-1]) ** 2))
    assert "own units" in capsys.readouterr().out
    assert not exercises.check_persistence_mse(np.sqrt(right))
    assert "square root" in capsys.readouterr().out
    assert not exercises.check_persistence_mse(...)
    assert "Not answered" in capsys.readouterr().out
    for answer in STRANGE:
        assert not exercises.check_persistence_mse(answer)
        assert capsys.readouterr().out.startswith("Not ")  # "Not yet." / "Not answered"


def test_ar_order_by_validation(capsys):
    # exercise 2: the same test block (62 years), validated on the 20 years before it
    z = _scaled_sunspots()
    n_train = 309 - 20 - 62
    val = {}
    # AutoReg on the training block, scored on the validation block
    for L in range(1, 21):
        res = AutoReg(z[:n_train], lags=L, trend="c").fit()
        c, w = res.params[0], res.params[1:]  # w[j] weighs y_{t-1-j}
        t = np.arange(n_train, n_train + 20)
        yhat = c + sum(w[j] * z[t - 1 - j] for j in range(L))
        val[L] = np.mean((yhat - z[t]) ** 2)
    best = min(val, key=val.get)
    assert exercises.check_ar_order(best)
    assert capsys.readouterr().out.startswith("Correct.")
    for answer in [b for b in range(1, 21) if b != best] + [25, 9.0, "9", None]:
        assert not exercises.check_ar_order(answer)
        out = capsys.readouterr().out
        assert out.startswith(("Not yet.", "Not answered"))
    assert not exercises.check_ar_order(9)  # the best on the TEST block
    assert "TEST block" in capsys.readouterr().out
    assert not exercises.check_ar_order(10)  # section 4's order, 31 validation years
    assert "section 4" in capsys.readouterr().out
    assert not exercises.check_ar_order(18)  # the best on the training block
    assert "TRAINING block" in capsys.readouterr().out


@pytest.mark.parametrize("answer", ["a", "c", "x", 3, ...])
def test_leak_multiple_choice(answer, capsys):
    assert not exercises.check_leak(answer)
    assert "Correct." not in capsys.readouterr().out
    assert exercises.check_leak("b")
