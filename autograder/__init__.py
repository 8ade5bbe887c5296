"""Grading the course's assignments with nbgrader, student code judged in a sandbox.

The registry of assignments and graded functions (:mod:`~autograder.assignments`) is
read by everything else: the notebook builder (:mod:`~autograder.notebooks`), the nbgrader
course directory (:mod:`~autograder.course_dir`), the judge (:mod:`~autograder.judge`,
which runs the submission in :mod:`~autograder.sandbox`, isolated by
:mod:`~autograder.isolation`), batch grading (:mod:`~autograder.grade`), the report
(:mod:`~autograder.report`), hidden tests, mutants and the oracles and verification
table that check :mod:`solutions`.
"""

import course  # noqa: F401  (silences TensorFlow before an oracle imports it)
