"""The grading benchmark's resume state: its settings and the runs it finished, kept as JSON
in the work directory so that ``--resume`` continues a stopped run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .runs import CourseGradeRun, StockRun

__all__ = ["OtherSettingsError", "ResumeState"]


class OtherSettingsError(Exception):
    """The state to resume is that of a run with other settings."""


@dataclass
class ResumeState:
    """A run's settings and, per assignment name, each grader's finished run."""

    #: The run's settings, as plain JSON data.
    settings: dict[str, object]
    course_grade: dict[str, CourseGradeRun] = field(default_factory=dict)
    stock: dict[str, StockRun] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, settings: dict[str, object]) -> ResumeState:
        """The state saved at ``path``.

        Raises
        ------
        OtherSettingsError
            If it was saved by a run with other ``settings``.
        """
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["settings"] != settings:
            raise OtherSettingsError(
                f"{path.parent} holds a run with other settings: {data['settings']}"
            )
        return cls(
            settings,
            {name: CourseGradeRun(**run) for name, run in data["course_grade"].items()},
            {name: StockRun(**run) for name, run in data["stock"].items()},
        )

    def save(self, path: Path) -> None:
        """Write the state to ``path`` (through a temporary file: a stop leaves the last)."""
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        temporary.replace(path)

    def finished(self) -> list[str]:
        """The runs done, as ``A ASSIGNMENT`` (course grade) and ``B ASSIGNMENT`` (stock)."""
        return [f"A {name}" for name in self.course_grade] + [f"B {name}" for name in self.stock]
