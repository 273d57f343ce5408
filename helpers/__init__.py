"""Helpers for the RNN forecasting course.

Shape letters, the same everywhere: T points in a series, L lags, N samples, D state dim
(dimension of one observation), q hidden units.  A series is (T,) or (T, D); inputs X
are (L, N, D) with X[0] the oldest lag; targets Y and forecasts Yhat are (N, D); states
are (L, N, q).

The input contract, kept by every public function and class of the package:

- It returns a correct result, or raises ValueError (right kind of value, wrong value or
  shape) or TypeError (wrong kind of value) before any work, with a message that names
  the argument and says what was expected.  Never another exception type from inside
  numpy, torch or matplotlib, never a silent NaN.
- Valid input is accepted in any reasonable form: lists, numpy arrays of any strides
  (X[::-1]) or byte order, float16/32/64 and int arrays, tensors with or without grad
  (detached where only values are needed), Python numbers and numpy scalars
  (np.int64, np.float32).  A bool array counts as 0/1 data (a marker series).
- bool is never a number: True for lags, lr, clip, q, a seed or an answer is refused.
  Integer arguments must be integers: 2.0 is refused, the same way every time.
- Data must be finite; the plots alone accept NaN in the values they draw (drawn as
  gaps, as their docstrings say) and check every shape.
- fit checks all its arguments before the first step, and raises TrainingDiverged (with
  .history) when the loss or, after the last step, any weight is NaN or inf.
- Exercise checks never raise on the learner's answer: any answer of any type gets a
  verdict ("Not yet. ..." saying what was expected) and only the exact right answer
  gets "Correct.".  Their other arguments (sizes, lags, cell) are the notebook
  author's and follow the rules above.

helpers/checks.py holds the shared checks; tests/test_contract_*.py test the contract
with generated valid and invalid inputs (hypothesis).
"""
