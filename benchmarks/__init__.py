"""Benchmarks (not tests): timings are measured here, never asserted in the test suite."""
