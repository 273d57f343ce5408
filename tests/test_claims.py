"""claim() prints its statement when the condition holds and fails loudly, with the values, when not."""

import numpy as np
import pytest

from helpers.claims import ClaimFailed, claim


def test_a_claim_that_holds_prints_only_the_statement(capsys):
    test_mse = 3.2e-7
    claim("the test MSE is below 1e-5", test_mse < 1e-5, test_mse=test_mse)
    assert capsys.readouterr().out == "\u2713 the test MSE is below 1e-5\n"


def test_a_numpy_bool_is_a_condition(capsys):
    claim("all gates lie in (0, 1)", np.all(np.array([0.2, 0.7]) < 1))
    assert "all gates" in capsys.readouterr().out


def test_a_false_claim_raises_and_shows_the_values(capsys):
    with pytest.raises(ClaimFailed, match=r"below 1e-5.*test_mse = 0\.002"):
        test_mse = 2e-3
        claim("the test MSE is below 1e-5", test_mse < 1e-5, test_mse=test_mse)
    # nothing printed that could pass for a checked claim
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("holds", [1, 0.5, "yes", None, np.array([True, True])])
def test_the_condition_must_be_a_bool(holds):
    with pytest.raises(TypeError, match="holds must be a bool"):
        claim("something", holds)


@pytest.mark.parametrize("statement", ["", "  ", None, 3])
def test_the_statement_must_be_text(statement):
    with pytest.raises(TypeError, match="statement must be a non-empty string"):
        claim(statement, True)
