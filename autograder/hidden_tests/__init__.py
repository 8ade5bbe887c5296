"""Hidden tests of the assignments: random inputs from the grading secret, judged by oracles."""
