"""What runs inside the sandbox: the runner that executes a student's code, and the
plain-data protocol it answers the judge in.

This package imports nothing else of the instructor's side. The judge copies it into a
folder of its own (:func:`autograder.sandbox.runner_package`) and starts it from there
under another name, so the sandbox can hide the whole ``autograder`` package — the
hidden tests, oracles, mutants and registry — and ``solutions`` from student code.
"""
