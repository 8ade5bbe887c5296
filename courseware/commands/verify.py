"""``course verify [--backend NAME]``: print the verification table — every hand-written
operator against SciPy and plain loops, and that backend's Keras layers against the
hand-written operators; exits with status 1 if an oracle row disagrees."""

from __future__ import annotations

import argparse

from course.backends import BACKENDS, DEFAULT_BACKEND, use_backend
from course.cli import Command

__all__ = ["COMMAND", "print_verification_table"]


def print_verification_table(backend: str = DEFAULT_BACKEND) -> bool:
    """Print the table for the Keras ``backend``; whether every oracle row agrees."""
    use_backend(backend)
    from autograder import verify

    checks = verify.verification_checks()
    print(f"Keras backend: {backend}")
    print(verify.format_table(checks))
    return verify.table_passes(checks)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=DEFAULT_BACKEND,
        help=f"Keras backend whose layers are checked (default: {DEFAULT_BACKEND})",
    )


def _run(args: argparse.Namespace) -> int:
    return 0 if print_verification_table(args.backend) else 1


COMMAND = Command("hand-written operators against SciPy, loops and Keras", _arguments, _run)
