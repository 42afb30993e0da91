"""Benchmarks and evaluations of the text stage: scripts that print their figures."""
