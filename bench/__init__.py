"""Benchmarks: measurements to read, not tests to pass (see docs/performance.md)."""
