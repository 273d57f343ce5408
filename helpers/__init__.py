"""Helpers for the RNN forecasting course.

Shape letters, the same everywhere: T points in a series, L lags, N samples, D state dim
(dimension of one observation), q hidden units.  A series is (T,) or (T, D); inputs X
are (L, N, D) with X[0] the oldest lag; targets Y and forecasts Yhat are (N, D); states
are (L, N, q).

The core, what a student reads: data, series, models, train, baselines, gradients.
Each entry point checks its arguments once, at its top, through helpers.checks, and
then runs the lecture's code on clean values.  The mistakes learners make (wrong shape
or axis order, a D that does not match the model, NaN or inf in data, lags out of range,
a count that is not a whole number, a model with NaN weights) are refused before any
work with a message naming the argument: TypeError for the wrong kind of value,
ValueError for a wrong value.

The shell, for instructors: experiments (the runs the sliders make), plots, widgets,
claims and the exercise checks.  Its arguments are checked by helpers.shell_checks; an
exercise check gives any answer a learner types a verdict, and "Correct." only to a
right one.
"""
