"""The self-study and class websites: the executed course as a book (``course site``).

Sphinx (myst-nb, sphinx-book-theme) renders pages generated from the executed lessons:
the lesson pages (:mod:`~courseware.site.lesson_pages`), the exercise pages
(:mod:`~courseware.site.exercise_pages`), the landing and claims pages
(:mod:`~courseware.site.summary_pages`); :mod:`~courseware.site.build` stages them and
runs Sphinx, and :mod:`~courseware.site.scan` checks what was built. The configuration,
landing-page texts and stylesheet are in ``courseware/site_sources/``.
"""

from __future__ import annotations

from courseware import EDITIONS

__all__ = ["CLASS", "SELF_STUDY", "SiteError"]

SELF_STUDY, CLASS = EDITIONS


class SiteError(RuntimeError):
    """The site cannot be built: a missing tool or source, a Sphinx warning, a bad page."""
