"""Interleaved repetitions: each round runs every case once, in turn, so a busy
machine slows all of them alike and the ratios stay meaningful."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def interleaved(cases, rounds, warmup=2):
    """``cases`` maps a name to a callable; returns name -> {best, median, queries}."""
    for _ in range(warmup):
        for run in cases.values():
            run()
    times = {name: [] for name in cases}
    queries = {}
    for _ in range(rounds):
        for name, run in cases.items():
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
            queries[name] = len(captured.captured_queries)
    return {
        name: {
            "best": min(values),
            "median": statistics.median(values),
            "queries": queries[name],
        }
        for name, values in times.items()
    }
