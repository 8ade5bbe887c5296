"""What students read, built for the instructor.

The executed lessons (:mod:`~courseware.executed_lessons`), their class edition
(:mod:`~courseware.class_edition`), the website (:mod:`~courseware.site`, from
``site_sources/``), the check that none of it hands out a solution
(:mod:`~courseware.solution_leaks`), and the instructor's subcommands of ``course``
(:mod:`~courseware.commands`).

Part of ``convpool-instructor``; it builds on the student package ``course``, on
:mod:`solutions` and on :mod:`autograder`, never the other way round.
"""

#: The editions of what students read: the lessons with the reference solutions in their
#: exercise cells and a site that folds them under each exercise, for self-study readers;
#: the class edition, with the student's own functions and no solution anywhere.
EDITIONS = ("self-study", "class")
