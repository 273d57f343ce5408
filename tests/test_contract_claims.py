"""helpers.claims keeps the contract: a claim prints exactly when its condition holds,
and bad arguments are refused by name."""

import contextlib
import io

import numpy as np
import pytest
import torch
from contract import refused
from hypothesis import given
from hypothesis import strategies as st

from helpers.claims import MARK, ClaimFailed, claim


@given(
    statement=st.one_of(
        st.text(min_size=1, max_size=20), st.sampled_from(["", "  ", None, 3])
    ),
    holds=st.one_of(
        st.booleans(),
        st.sampled_from([np.True_, np.False_, 1, "yes", None, np.array([True, False])]),
        st.sampled_from(
            [torch.tensor(True), torch.tensor(False), torch.tensor([True])]
        ),
        st.sampled_from([np.array(True), np.array(1.0)]),
    ),
    value=st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()),
)
def test_claim(statement, holds, value):
    valid_statement = isinstance(statement, str) and statement.strip()
    if not valid_statement:
        refused(lambda: claim(statement, True), ["statement"])
    elif not (
        isinstance(holds, (bool, np.bool_))
        or (getattr(holds, "shape", None) == () and holds.dtype in (bool, torch.bool))
    ):
        refused(lambda: claim(statement, holds), ["holds"])
    elif holds:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            claim(statement, holds, value=value)
        assert out.getvalue() == f"{MARK} {statement}\n"
    else:
        with pytest.raises(ClaimFailed, match="value = "):
            claim(statement, holds, value=value)
