"""Check functions for the notebooks' exercises: each says what is right or what is wrong.

Every check prints its verdict and returns a Verdict, true when the answer is correct.  Nothing
else in `helpers` imports this package.

The learner's answer (a value or a function) never makes a check raise: an answer of any
type, a function that raises or returns something odd, all get "Not yet. ..." saying
what was expected, and only a right answer gets "Correct.".  A whole number is accepted
in any form a person types (63, 63.0, np.int64(63), torch.tensor(63); not True, not
"63"); a shape or sequence as a tuple, list, array or tensor; a typed real number to 3
significant digits, as the statements say.  A wrong answer gets the slip named, or
where to look; the formula only on a repeated wrong attempt (verdicts.escalate).  The
other arguments
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
from .horizons import (
    EXCHANGE_CHOICES,
    check_conformal_radius,
    check_exchangeable,
    check_multi_output_params,
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
    "EXCHANGE_CHOICES",
    "FORGET_CHOICES",
    "LEAK_CHOICES",
    "MEMORY_CHOICES",
    "NOT_DONE",
    "SUNSPOT_BLOCKS",
    "Verdict",
    "check_ar_order",
    "check_clip",
    "check_conformal_radius",
    "check_exchangeable",
    "check_forget_gate",
    "check_lag_function",
    "check_leak",
    "check_lstm_step",
    "check_memory_gate",
    "check_multi_output_params",
    "check_param_count",
    "check_persistence_mse",
    "check_rnn_step",
    "check_shapes",
    "check_sine_model",
    "check_vanishing_bound",
    "check_window",
]
