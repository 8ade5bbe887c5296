"""``course site [--out DIR] [--lessons DIR] [--source DIR] [--edition self-study|class]``:
build the website from the executed lessons (missing or out-of-date ones are executed
first) and print its path and the build time. The self-study edition folds the reference
solutions under each exercise; the class edition has none."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.cli import Command
from courseware import EDITIONS
from courseware.commands import EXECUTED_LESSONS

__all__ = ["COMMAND"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("build/site"), help="website folder")
    parser.add_argument("--lessons", type=Path, default=EXECUTED_LESSONS, help="notebooks")
    parser.add_argument(
        "--source", type=Path, default=None, help="lesson sources (default: the course's)"
    )
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default=EDITIONS[0],
        help="self-study: solutions folded under each exercise; class: no solutions",
    )


def _run(args: argparse.Namespace) -> int:
    from courseware.site import SiteError
    from courseware.site.build import build_site

    try:
        site = build_site(
            args.out, lessons_dir=args.lessons, source_dir=args.source, edition=args.edition
        )
    except SiteError as error:
        print(f"course site: {error}", file=sys.stderr)
        return 1
    if site.executed:
        print(f"executed out-of-date lessons into {args.lessons}/: {', '.join(site.executed)}")
    index = site.path / "index.html"
    print(f"website built in {site.seconds:.1f} s: {index} ({args.edition} edition)")
    return 0


COMMAND = Command("build the website", _arguments, _run)
