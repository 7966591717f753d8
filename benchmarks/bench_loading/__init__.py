"""Loading the public corpora: wall time and peak memory, against plain readers of the same files.

Each measurement runs in its own Python process so that peak memory (``ru_maxrss``) belongs
to one load only:

* ``discourse``: ``discourse.corpora.load(name)`` — parsing, metadata, checks, the Corpus.
* a plain reader of the same files, where one exists, for a ratio:
  ``pandas.read_json(lines=True)`` for the JSON-lines corpora (legi-codes,
  literary-fr-scale), a list comprehension of ``Path.read_text`` for the sitting files
  (an-debats-2013-2018), ``xml.etree.ElementTree.parse`` of every TEI file
  (an-mariage-pour-tous-2013). The plain readers do less (no metadata from file names,
  no speech turns, no checks); the ratio says what the extra work costs.

Time is the best of ``--repeat`` loads in one process; memory is the process's peak
resident size minus the size after imports, and, in a separate run, the peak of Python
allocations traced by ``tracemalloc`` (slower, so not timed).

Run: ``python -m benchmarks.bench_loading`` (all corpora) or ``--quick`` (three small
corpora, one repeat: a smoke test). Writes benchmarks/bench_loading/results/loading.md and .json
(``loading_quick.*`` with --quick).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.common import record, results_dir

RESULTS = results_dir(__name__)
ALL = ["seed", "europarl-fr-2000", "an-debats-2013-2018", "an-mariage-pour-tous-2013",
       "legi-codes", "literary-fr-scale", "ud-french-gsd"]
QUICK = ["seed", "europarl-fr-2000", "ud-french-gsd"]


def _data_home() -> Path:
    from discourse import corpora

    return corpora.data_home()


def _plain_reader(name: str):  # type: ignore[no-untyped-def]
    """A plain reader of the same files, or None where there is no meaningful one."""
    home = _data_home() / name
    if name in ("legi-codes", "literary-fr-scale"):
        import pandas as pd

        file = home / ("articles.jsonl.gz" if name == "legi-codes" else "chunks.jsonl.gz")
        return "pandas.read_json(lines=True)", lambda: pd.read_json(file, lines=True, compression="gzip")
    if name == "an-debats-2013-2018":
        return "Path.read_text per file", lambda: [p.read_text(encoding="utf-8") for p in sorted((home / "txt").glob("*.txt"))]
    if name == "an-mariage-pour-tous-2013":
        import xml.etree.ElementTree as ET

        return "ElementTree.parse per file", lambda: [ET.parse(p) for p in sorted((home / "xml").glob("*.xml"))]
    return None


def _rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(name: str, tool: str, mode: str, repeat: int) -> dict[str, Any]:
    """One measurement in this process (called in a fresh subprocess)."""
    from discourse import corpora

    if tool == "discourse":
        label, run = "discourse.corpora.load", lambda: corpora.load(name)
    else:
        found = _plain_reader(name)
        if found is None:
            return {}
        label, run = found
    base_rss = _rss_mb()
    out: dict[str, Any] = {"corpus": name, "tool": tool, "reader": label}
    if mode == "time":
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
            del result
        out.update(seconds=min(times), peak_rss_mb=round(_rss_mb() - base_rss, 1), base_rss_mb=round(base_rss, 1))
        if tool == "discourse":
            corpus = corpora.load(name)
            out.update(documents=len(corpus), characters=sum(map(len, corpus.texts)))
    else:
        tracemalloc.start()
        result = run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        out.update(traced_peak_mb=round(peak / 2**20, 1))
    return out


def _spawn(name: str, tool: str, mode: str, repeat: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_loading", "--child", name, "--tool", tool, "--mode", mode,
           "--repeat", str(repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=os.environ.copy())
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(names: list[str], repeat: int) -> list[dict[str, Any]]:
    rows = []
    for name in names:
        for tool in ("discourse", "plain"):
            timed = _spawn(name, tool, "time", repeat)
            if not timed:
                continue
            traced = _spawn(name, tool, "trace", 1)
            timed.update(traced)
            rows.append(timed)
            print(f"{name:28s} {tool:9s} {timed['seconds']:7.2f} s  rss +{timed['peak_rss_mb']:7.1f} MB  "
                  f"traced {timed['traced_peak_mb']:7.1f} MB", file=sys.stderr)
    return rows


def _markdown(rows: list[dict[str, Any]], repeat: int, load: list[float] | None = None) -> str:
    by = {(r["corpus"], r["tool"]): r for r in rows}
    lines = [
        "# Loading the corpora",
        "",
        f"`python -m benchmarks.bench_loading` — {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; best of {repeat} loads per process, one process per "
        "measurement. RSS = peak resident memory of the process minus its size after imports; "
        "traced = peak of Python allocations (tracemalloc, separate run)."
        + (f" Load average at the end: {load[0]:.1f} (other jobs share the machine; times are indicative)." if load else ""),
        "",
        "| corpus | documents | discourse load (s) | RSS (MB) | traced (MB) | plain reader | plain (s) | plain RSS (MB) | time ratio |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name in dict.fromkeys(r["corpus"] for r in rows):
        d = by[(name, "discourse")]
        p = by.get((name, "plain"))
        plain = (f"{p['reader']} | {p['seconds']:.2f} | {p['peak_rss_mb']:.0f} | {d['seconds'] / p['seconds']:.2f}×"
                 if p else "– | – | – | –")
        lines.append(f"| {name} | {d['documents']:,} | {d['seconds']:.2f} | {d['peak_rss_mb']:.0f} | "
                     f"{d['traced_peak_mb']:.0f} | {plain} |")
    lines += [
        "",
        "Time ratio = discourse time / plain-reader time (above 1: discourse is slower). The plain",
        "readers return raw objects (a DataFrame, a list of strings, XML trees) with none of the",
        "metadata, speech-turn splitting or checks of the loaders.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three small corpora, one repeat (smoke test)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpora", nargs="*", default=None)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tool", default="discourse", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="time", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.tool, args.mode, args.repeat)))
        return 0
    names = args.corpora or (QUICK if args.quick else ALL)
    repeat = 1 if args.quick else args.repeat
    rows = run(names, repeat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Only a run over every corpus replaces the reference results.
    stem = "loading_quick" if args.quick else ("loading" if names == ALL else "loading_subset")
    meta = {"python": platform.python_version(), "cores": os.cpu_count(), "repeat": repeat,
            "data_home": str(_data_home()), "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    (RESULTS / f"{stem}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    text = _markdown(rows, repeat, meta["load_average_after"])
    (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
    record([RESULTS / f"{stem}.json", RESULTS / f"{stem}.md"])
    print(text)
    return 0
