"""Benchmark settings: the project's own, plus a trivial view to compare pages against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The open API's per-client limit would refuse a benchmark's thousands of requests from one
# address; the benchmark measures the answers, not the limit.
API_RATE_LIMIT = (10**9, 60)
