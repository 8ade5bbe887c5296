"""``course verify``: print the verification table — every hand-written operator against
SciPy, Keras or TensorFlow; exits with status 1 if any row disagrees."""

from __future__ import annotations

import argparse

from course.cli import Command

__all__ = ["COMMAND", "print_verification_table"]


def print_verification_table() -> bool:
    """Print the table; whether every row agrees."""
    from autograder import verify

    checks = verify.verification_checks()
    print(verify.format_table(checks))
    return all(check.passed for check in checks)


def _run(args: argparse.Namespace) -> int:
    return 0 if print_verification_table() else 1


COMMAND = Command(
    "hand-written operators against SciPy/Keras/TensorFlow", lambda parser: None, _run
)
