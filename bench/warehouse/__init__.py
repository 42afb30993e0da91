"""Benchmarks and evaluations of the warehouse stage: scripts that print their figures."""
