"""The ``course`` command.

A student's install (``convpool-course``) has one subcommand:

``course check ASSIGNMENT [NOTEBOOK]``
    Execute an assignment notebook and print its visible tests per function; exits with
    status 1 unless they all pass.

The instructor package (``convpool-instructor``) adds its own subcommands — ``demo``,
``verify``, ``lessons``, ``build``, ``grade``, ``report``, ``site`` — through the entry-point
group :data:`COMMANDS_GROUP`: this module imports nothing of the instructor side, and a
student sees only what works in their install.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import course

__all__ = ["COMMANDS_GROUP", "Command", "commands", "main"]

#: The entry-point group through which other packages add subcommands to ``course``.
COMMANDS_GROUP = "convpool_course.commands"

#: The distributions whose versions ``course --version`` reports.
DISTRIBUTIONS = ("convpool-course", "convpool-instructor")


@dataclass(frozen=True)
class Command:
    """One subcommand of ``course``: what ``course --help`` says of it, how to read its
    arguments, and what it does (returning the exit status).

    Another package adds a subcommand by naming a ``Command`` under the entry-point group
    :data:`COMMANDS_GROUP` (``name = "package.module:OBJECT"``).
    """

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. ps1 or ps1_filters")
    parser.add_argument("notebook", type=Path, nargs="?", help="default: ASSIGNMENT*.ipynb here")


def _check(args: argparse.Namespace) -> int:
    from course.check import check_notebook, find_notebook, format_report

    try:
        path = args.notebook or find_notebook(args.assignment)
        results = check_notebook(path)
    except (FileNotFoundError, ValueError) as error:
        print(f"course check: {error}", file=sys.stderr)
        return 2
    print(format_report(path, results))
    return 0 if all(r.passed for r in results) else 1


CHECK = Command("run an assignment notebook's visible tests", _check_arguments, _check)


class _Unloadable(Command):
    """A subcommand whose entry point fails to load: it says so when it is asked for."""


def _unloadable(name: str, error: BaseException) -> Command:
    def run(args: argparse.Namespace) -> int:
        print(f"course {name}: this command cannot be loaded ({error})", file=sys.stderr)
        return 2

    return _Unloadable(f"(cannot be loaded: {type(error).__name__})", lambda parser: None, run)


def commands() -> dict[str, Command]:
    """Every subcommand of this install, by name: ``check``, then those of
    :data:`COMMANDS_GROUP` in name order."""
    found = {"check": CHECK}
    entries = importlib.metadata.entry_points(group=COMMANDS_GROUP)
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name in found:
            continue
        try:
            command = entry.load()
        except (Exception, SystemExit) as error:  # a broken install must not stop `check`
            command = _unloadable(entry.name, error)
        if not isinstance(command, Command):
            command = _unloadable(entry.name, TypeError(f"{entry.value} is not a Command"))
        found[entry.name] = command
    return found


def _versions() -> str:
    installed = []
    for name in DISTRIBUTIONS:
        try:
            installed.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return f"course {course.__version__} ({', '.join(installed) or 'not installed'})"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``course`` command; returns the exit status."""
    available = commands()
    parser = argparse.ArgumentParser(
        prog="course", description="A Keras course on convolution and max pooling."
    )
    parser.add_argument("--version", action="version", version=_versions())
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, command in list(available.items()):
        try:  # a trial run: a subcommand that cannot declare its arguments is reported
            command.add_arguments(argparse.ArgumentParser(add_help=False))
        except (Exception, SystemExit) as error:
            available[name] = command = _unloadable(name, error)
        command.add_arguments(subparsers.add_parser(name, help=command.help))
    args, unknown = parser.parse_known_args(argv)
    command = available[args.command]
    if unknown and not isinstance(command, _Unloadable):  # a broken one says why, anyway
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return command.run(args)


if __name__ == "__main__":
    # `python -m course.cli`: run the module the entry points know (`course.cli`), so that
    # their Command objects are instances of its Command class, not of this copy's.
    sys.exit(importlib.import_module("course.cli").main())
