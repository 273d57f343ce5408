"""What the contract tests share: the check that a call keeps the contract, and
strategies for valid values in every accepted form and for invalid values.

The contract (helpers/__init__.py): a public function returns a correct result or raises
a ValueError/TypeError naming the argument; never another exception type.
"""

import re

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def keeps_contract(call, names):
    """Run call(); return ("ok", result) or ("refused", error).  A ValueError/TypeError
    must name one of `names` (the arguments that may be at fault); anything else fails
    the test.
    """
    try:
        return "ok", call()
    except (ValueError, TypeError) as err:
        message = str(err)
        assert any(
            re.search(rf"(?<![A-Za-z_]){re.escape(n)}(?![A-Za-z_])", message)
            for n in names
        ), f"{type(err).__name__} does not name any of {names}: {message}"
        return "refused", err


def refused(call, names):
    """The call must be refused with a ValueError/TypeError naming one of `names`."""
    outcome, value = keeps_contract(call, names)
    assert outcome == "refused", f"accepted, returned {value!r}"
    return value


# Values that are not numbers, or not the number asked for; bool is never a number.
NOT_A_NUMBER = st.sampled_from(
    [True, False, np.True_, "1", None, [1], 1j, object(), b"2"]
)
NOT_AN_INTEGER = st.one_of(
    NOT_A_NUMBER, st.sampled_from([2.0, 2.5, np.float32(3.0), float("nan")])
)
NOT_FINITE = st.sampled_from(
    [float("nan"), float("inf"), -float("inf"), np.float32("nan")]
)


def integers(min_value, max_value):
    """Integers as Python ints or numpy integer scalars."""
    return st.integers(min_value, max_value).flatmap(
        lambda v: st.sampled_from(
            [v, np.int64(v)]
            + ([np.int32(v)] if abs(v) < 2**31 else [])
            + ([np.uint16(v)] if 0 <= v < 2**16 else [])
        )
    )


def reals(min_value, max_value):
    """Real numbers as Python floats or ints, or numpy float scalars (exactly
    representable in float32 so every form has the same value)."""
    lo, hi = (float(np.float32(v)) for v in (min_value, max_value))
    return (
        st.floats(lo, hi, width=32)
        .filter(lambda v: min_value <= v <= max_value)
        .flatmap(
            lambda v: st.sampled_from(
                [v, np.float64(v), np.float32(v)]
                + ([int(v)] if float(v).is_integer() else [])
            )
        )
    )


def forms(A):
    """Strategy: the float64 array A in every form the contract accepts, equal in
    value."""
    A = np.asarray(A, dtype=np.float64)
    options = [
        A,
        A.tolist(),
        A.astype(">f8"),  # nested lists, big-endian
        np.flip(np.flip(A).copy()),  # a view with negative strides
        np.asfortranarray(A),
        torch.tensor(A, requires_grad=True),
        torch.tensor(A, dtype=torch.float32),
    ]
    if np.array_equal(A.astype(np.float32), A):
        options.append(A.astype(np.float32))
    if np.all(np.abs(A) < 6e4) and np.array_equal(A.astype(np.float16), A):
        options.append(A.astype(np.float16))
    if np.array_equal(np.round(A), A) and np.all(np.abs(A) < 2**31):
        options.append(A.astype(np.int64))
    return st.sampled_from(options)


def as_float(A):
    """Any accepted form back to a float64 numpy array, for comparisons."""
    if torch.is_tensor(A):
        return A.detach().double().numpy()
    return np.asarray(A, dtype=np.float64)


# Values that are not arrays of real numbers at all.
NOT_AN_ARRAY = st.sampled_from(
    [
        None,
        "abc",
        b"xy",
        {"a": 1},
        object(),
        [[1.0, 2.0], [3.0]],
        np.array(["a", "b"]),
        np.array([1 + 1j, 2.0]),
        [1.0, None, 2.0],
        torch.tensor([1 + 1j]),
    ]
)


# Anything a learner might type: numbers of every kind, text, containers, arrays,
# tensors.
ANY = st.deferred(
    lambda: st.one_of(
        st.none(),
        st.just(...),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.complex_numbers(),
        st.text(max_size=4),
        st.binary(max_size=3),
        st.sampled_from(
            [np.int64(63), np.float32(0.5), np.True_, object(), print, float("nan")]
        ),
        st.lists(
            st.one_of(st.integers(-3, 60), st.floats(), st.text(max_size=2)), max_size=4
        ),
        st.lists(st.integers(-3, 60), max_size=4).map(tuple),
        hnp.arrays(
            st.sampled_from([np.float64, np.int64, np.bool_]),
            hnp.array_shapes(max_dims=3, max_side=3),
        ),
        st.integers(0, 3).map(lambda n: torch.ones(n, 2, requires_grad=True)),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    )
)
