"""What runs inside the sandbox: the runner that executes a student's code (``serve``),
the zygote that forks runners (``zygote``, with the judge's client half beside it), and
the plain-data protocol they answer the judge in (``protocol``, ``keras_plain``).

This package imports nothing else of the instructor's side. The judge copies it into a
folder of its own (:func:`autograder.isolation.runner_package`) and starts it from there
under another name, so the sandbox can hide the whole ``autograder`` package — the
hidden tests, oracles, mutants and registry — and ``solutions`` from student code.
"""
