"""Benchmarks: performance claims measured on the real corpora (run as python -m benchmarks.<name>)."""
