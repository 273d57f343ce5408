"""Check functions for the notebooks' exercises: each says what is right or what is wrong.

Every check prints its verdict and returns a Verdict, true when the answer is correct.  Nothing
else in `helpers` imports this package.

The learner's answer (a value or a function) never makes a check raise: an answer of any
type, a function that raises or returns something odd, all get "Not yet. ..." saying
what was expected, and only the exact right answer gets "Correct.".  Integers are
answers to count and index questions (2.0 and True are not).  The other arguments
(sizes, lags, cell) are the notebook author's and are checked like any `helpers`
argument (ValueError/TypeError).
"""

from .cells import (
    FORGET_CHOICES,
    check_forget_gate,
    check_lstm_step,
    check_param_count,
    check_rnn_step,
    check_sine_model,
)
from .gradients import (
    MEMORY_CHOICES,
    check_clip,
    check_memory_gate,
    check_vanishing_bound,
)
from .lags import check_lag_function, check_shapes, check_window
from .series import (
    LEAK_CHOICES,
    SUNSPOT_BLOCKS,
    check_ar_order,
    check_leak,
    check_persistence_mse,
)
from .verdicts import NOT_DONE, Verdict

__all__ = [
    "FORGET_CHOICES",
    "LEAK_CHOICES",
    "MEMORY_CHOICES",
    "NOT_DONE",
    "SUNSPOT_BLOCKS",
    "Verdict",
    "check_ar_order",
    "check_clip",
    "check_forget_gate",
    "check_lag_function",
    "check_leak",
    "check_lstm_step",
    "check_memory_gate",
    "check_param_count",
    "check_persistence_mse",
    "check_rnn_step",
    "check_shapes",
    "check_sine_model",
    "check_vanishing_bound",
    "check_window",
]
