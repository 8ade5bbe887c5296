"""The grading benchmark that ``benchmarks/bench_grading.py`` runs: ``course grade`` against
stock nbgrader on a synthetic class, one module per concern."""
