"""Benchmarks and evaluations of the archive stage: scripts that print their figures."""
