"""CPU of processes, from Linux's /proc: what the benchmarks charge to each part of the system."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int | str) -> tuple[str, list[str]] | None:
    """A live process's name and the fields after it in /proc/<pid>/stat, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 1 :].split()


def _processes() -> list[tuple[int, str, list[str]]]:
    return [(int(path.name), *stat) for path in Path("/proc").glob("[0-9]*") if (stat := _stat(path.name))]


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (Linux /proc), 0 when it is gone."""
    stat = _stat(pid)
    return _cpu(stat[1]) if stat else 0.0


def descendants(pid: int) -> list[int]:
    """The live processes started by ``pid``, their children, and so on (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for child, _name, fields in _processes():
        parents.setdefault(int(fields[1]), []).append(child)
    found, pending = [], [pid]
    while pending:
        children = parents.get(pending.pop(), [])
        found += children
        pending += children
    return found


def service_cpu_by_pid(names: tuple[str, ...]) -> dict[int, float]:
    """CPU of every live process with one of these names, by process id: the difference of
    two readings then ignores a process that ended between them (a database connection
    closed), instead of subtracting all it ever used."""
    return {pid: _cpu(fields) for pid, name, fields in _processes() if name in names}


def service_cpu_seconds(names: tuple[str, ...]) -> float:
    """CPU of every live process with one of these names (the database server's backends, Redis)."""
    return sum(service_cpu_by_pid(names).values())


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores) since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")
