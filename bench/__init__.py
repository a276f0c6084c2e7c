"""Benchmarks for Vouch: every figure is a ratio against a baseline measured in
the same run, interleaved, best and median of several repetitions.

Run with ``make bench`` (see bench/README.md). Never imported by the site or the
tests; benchmarks report, tests assert.
"""
