"""Benchmarks and evaluations of the practices stage: scripts that print their figures."""
