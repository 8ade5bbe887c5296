"""What students read, built for the instructor.

The executed lessons (:mod:`~courseware.executed_lessons`), their class edition
(:mod:`~courseware.class_edition`), the website (:mod:`~courseware.site`, from
``site_sources/``), the check that none of it hands out a solution
(:mod:`~courseware.solution_leaks`), and the instructor's subcommands of ``course``
(:mod:`~courseware.commands`).

Part of ``convpool-instructor``; it builds on the student package ``course``, on
:mod:`solutions` and on :mod:`autograder`, never the other way round.
"""
