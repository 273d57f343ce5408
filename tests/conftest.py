import sys
from pathlib import Path

import matplotlib
from hypothesis import settings

# widget callbacks draw figures; no screen in tests
matplotlib.use("Agg")
# the scripts in tools/ import each other by name, as they do when run from there
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

# The property-based contract tests (test_contract_*.py): the same generated cases on
# every run and machine (derandomize), few enough to keep them within seconds on 2
# cores. CONTRACT_EXAMPLES is the default per test; a test that trains asks for fewer.
CONTRACT_EXAMPLES = 30
settings.register_profile(
    "course",
    derandomize=True,
    max_examples=CONTRACT_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
)
settings.load_profile("course")
