"""Benchmarks and evaluations of the history stage: scripts that print their figures."""
