"""A thread that measures how much of the machine's CPU other processes take while the
grading benchmark runs, so that a shared machine's slow-down shows in the results."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

__all__ = ["LoadMonitor"]

#: A :meth:`LoadMonitor.mark`: the other processes' CPU seconds so far, and when.
Mark = tuple[float, float]


class LoadMonitor(threading.Thread):
    """Counts the CPU time of the processes outside this benchmark's process tree.

    Every ``interval`` seconds it reads every process's CPU time (``/proc/PID/stat``) and
    adds what each used since the last look to :attr:`others`, unless it is this process
    or one of its descendants (workers, sandboxes, nbgrader, kernels). A process that lives
    less than one look is missed, so :attr:`others` is a lower bound. Linux only; elsewhere
    it stays 0.

    Parameters
    ----------
    interval
        Seconds between two looks.
    """

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True, name="load-monitor")
        self.interval = interval
        #: CPU seconds the other processes used since the first look.
        self.others = 0.0
        self.lock = threading.Lock()
        self._seen: dict[tuple[int, int], float] | None = None
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def run(self) -> None:
        while True:
            self._sample()
            time.sleep(self.interval)

    def _sample(self) -> None:
        processes = {}
        try:
            entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
        except OSError:
            return
        for pid in entries:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            # After the name: state ppid … utime(11) stime(12) … starttime(19).
            cpu = (int(fields[11]) + int(fields[12])) / self._tick
            processes[int(pid)] = (int(fields[1]), cpu, int(fields[19]))
        me, ours = os.getpid(), {}

        def is_ours(pid: int) -> bool:
            chain = []
            while pid not in ours and pid > 1 and pid != me and pid in processes:
                chain.append(pid)
                pid = processes[pid][0]
            answer = ours.get(pid, pid == me)
            for link in chain:
                ours[link] = answer
            return answer

        seen = {}
        with self.lock:
            for pid, (_, cpu, started) in processes.items():
                key = (pid, started)
                seen[key] = cpu
                if self._seen is None:
                    continue  # the first look only sets the baseline
                if not is_ours(pid):
                    self.others += cpu - self._seen.get(key, 0.0)
            self._seen = seen

    def mark(self) -> Mark:
        """Where the count of the other processes' CPU time stands now."""
        with self.lock:
            return self.others, time.perf_counter()

    def others_share(self, since: Mark) -> float:
        """Share of all cores' time that other processes used since ``since``."""
        with self.lock:
            others = self.others
        wall = (time.perf_counter() - since[1]) * (os.cpu_count() or 1)
        return (others - since[0]) / wall if wall > 0 else 0.0
