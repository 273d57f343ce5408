import matplotlib

matplotlib.use("Agg")  # widget callbacks draw figures; no screen in tests
