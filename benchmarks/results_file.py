"""The shared results file of the benchmarks: each owns one marked section of it, and
describes the machine the same way."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["cpu_model", "write_section"]


def write_section(path: Path, name: str, text: str) -> None:
    """Replace this benchmark's section of a results file shared with other benchmarks
    (between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``); append it when absent."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.rstrip()}\n{end}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"{re.escape(start)}.*?{re.escape(end)}\n?", re.DOTALL)
    if pattern.search(old):
        new = pattern.sub(lambda _: block, old, count=1)
    else:
        new = old.rstrip() + ("\n\n" if old.strip() else "") + block
    path.write_text(new, encoding="utf-8")


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (Linux), or "" where there is none."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else ""
