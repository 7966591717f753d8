"""What a benchmark result records about how it was made: command, commit, machine."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any


def provenance() -> dict[str, Any]:
    """The command line, the git commit (``+dirty`` when the tree has changes) and the machine."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += "+dirty"
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    module = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    command = "python -m benchmarks." + module + (" " + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    return {"command": command.strip(), "commit": commit, "nproc": os.cpu_count(), "cpu": cpu,
            "python": platform.python_version(), "load_average": round(os.getloadavg()[0], 2)}


def provenance_line(p: dict[str, Any]) -> str:
    """One Markdown line for a result file."""
    return (f"Command: `{p['command']}`; commit {p['commit']}; machine: {p['nproc']} cores ({p['cpu']}), "
            f"Python {p['python']}, 1-minute load {p['load_average']} when written.")
