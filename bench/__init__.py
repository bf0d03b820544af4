"""Benchmarks: each figure is measured beside a baseline in the same run, never asserted.

`python -m bench` (or `make bench`) runs them all and writes bench/results.md; see
bench/README.md for what each figure means and what was found.
"""

import os

# PTB 22 warns when RetryAfter.retry_after is read as an int; opt in to timedelta (v23 default).
# Set here, before any benchmark module imports telegram.
os.environ.setdefault("PTB_TIMEDELTA", "true")
