"""Helpers for the RNN forecasting course."""
