"""What every benchmark shares: where the corpora are, timing and memory of a call, and the record
of how each result file was made (command, commit, machine).

Each benchmark is a folder ``benchmarks/<name>/`` (its code in ``__init__.py``, run as
``python -m benchmarks.<name>``) and writes its results into ``benchmarks/<name>/results/``.
:func:`record` appends a provenance line to every Markdown result and keeps
``results/provenance.json``: for each result file, the command that made it, the git commit
(``-dirty`` when the work tree had changes), the machine and the date.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent


def data_home() -> Path:
    """Where the corpora are (``DISCOURSE_DATA``, else ``../shared/corpora`` next to the repository)."""
    return Path(os.environ.get("DISCOURSE_DATA", REPO.parent / "shared" / "corpora"))


def results_dir(module: str) -> Path:
    """``benchmarks/<name>/results`` of the benchmark module ``benchmarks.<name>``."""
    name = module.split(".")[1]
    return ROOT / name / "results"


# ------------------------------------------------------------------------------ provenance
def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def provenance(argv: Iterable[str] | None = None) -> dict[str, Any]:
    """The command, commit, machine and date of this run."""
    module = sys.argv[0]
    name = Path(module).parent.name if Path(module).name == "__main__.py" else Path(module).stem
    args = list(sys.argv[1:] if argv is None else argv)
    commit = _git("rev-parse", "--short=12", "HEAD") or "unknown"
    # result files being rewritten by this very run do not make the code dirty
    if _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/*/results/*"):
        commit += "-dirty"
    return {
        "command": " ".join(["python -m", f"benchmarks.{name}", *map(shlex.quote, args)]),
        "commit": commit,
        "machine": f"{os.cpu_count()} cores, {_cpu_model()}, Python {platform.python_version()}, {platform.system()}",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def record(paths: Iterable[Path], argv: Iterable[str] | None = None) -> dict[str, Any]:
    """Sign result files just written: a provenance line under each ``.md``, an entry per file in
    ``provenance.json`` beside them. Returns the provenance."""
    info = provenance(argv)
    line = (f"\n\n---\nMade by `{info['command']}` at commit `{info['commit']}` on {info['machine']}, "
            f"{info['date']}.\n")
    for path in map(Path, paths):
        if path.suffix == ".md":
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + line, encoding="utf-8")
        index_path = path.parent / "provenance.json"
        index = json.loads(index_path.read_text(encoding="utf-8")) if index_path.exists() else {}
        index[path.name] = info
        index_path.write_text(json.dumps(dict(sorted(index.items())), indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    return info


# ------------------------------------------------------------------------------ time and memory
class PeakMemory:
    """Peak resident memory above the starting level while the block runs (sampled from /proc)."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> PeakMemory:
        gc.collect()
        self.base = self.rss()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.rss())

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())
        self.extra_mb = (self.peak - self.base) / 2**20


def timed_fit(fit: Callable[[], Any]) -> tuple[Any, list[list[str]], float, float]:
    """Run one topic-model fit: (result, its top 10 words per topic, wall seconds, peak extra MB)."""
    gc.collect()
    with PeakMemory() as mem:
        start = time.perf_counter()
        result = fit()
        seconds = time.perf_counter() - start
    topics = result.topic_words(10) if hasattr(result, "topic_words") else result
    return result, topics, seconds, mem.extra_mb


def markdown_table(frame: Any) -> str:
    """A pandas DataFrame as a GitHub markdown table (without the optional tabulate package)."""
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])
