"""Plausible wrong implementations of the graded functions, which the tests must catch."""
