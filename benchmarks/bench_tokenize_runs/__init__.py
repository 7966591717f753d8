"""The tokenizer on long runs without spaces: linear now, quadratic before (issue 13).

Measures :func:`discourse.lang.fr.tokenize.scan` on

* real French text: the first megabyte of the Assemblée nationale sittings (normalised);
* runs without spaces that made the previous token pattern quadratic (``a_b`` repeated, ``_``,
  ``a.b``, ``-``): 1 MB with the current pattern; 5, 10 and 20 kB with the previous one (its
  e-mail branch, ``[\\w.+-]+@…``, rebuilt here from the current pattern), whose time grows with
  the square of the length, so larger sizes would take hours.

Reported: seconds, tokens, microseconds per token as a ratio to real text, and, for each
pattern, the growth of the time when the input doubles (about 2 when linear, 4 when quadratic).
The competitor is the library's own previous version; no other French tokenizer is at issue.

Run: ``python -m benchmarks.bench_tokenize_runs`` (about a minute). Writes
``benchmarks/bench_tokenize_runs/results/tokenize_runs.md`` and ``.json``.
"""

from __future__ import annotations

import importlib
import json
import re
import time
from collections.abc import Callable

from benchmarks.common import data_home, record, results_dir

RESULTS = results_dir(__name__)
UNITS = ("a_b", "_", "a.b", "-")
OLD_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
NEW_EMAIL = r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+"


def _timed(scan: Callable[[str], tuple], text: str) -> tuple[float, int]:
    start = time.perf_counter()
    forms = scan(text)[0]
    return time.perf_counter() - start, len(forms)


def _old_scan() -> Callable[[str], tuple]:
    """``scan`` with the previous pattern (the e-mail branch tried at every position, backtracking)."""
    tokenize = importlib.import_module("discourse.lang.fr.tokenize")  # the module, not the function of that name
    current = tokenize.pattern()
    old = re.compile(current.pattern.replace(NEW_EMAIL, OLD_EMAIL))
    assert old.pattern != current.pattern, "the e-mail branch was not found: update this benchmark"

    def scan(text: str) -> tuple:
        saved = tokenize._PATTERN
        tokenize._PATTERN = old
        try:
            return tokenize.scan(text)
        finally:
            tokenize._PATTERN = saved

    return scan


def main(argv: list[str] | None = None) -> int:
    from discourse import corpora
    from discourse.lang.fr.normalize import normalize
    from discourse.lang.fr.tokenize import scan

    an = corpora.load("an-debats-2013-2018", data_home=data_home())
    real = normalize("\n".join(an.texts[:60]))[:1_000_000]
    seconds, tokens = _timed(scan, real)
    base = seconds / tokens
    rows = [{"input": "real text (AN sittings)", "pattern": "current", "chars": len(real), "seconds": seconds,
             "tokens": tokens, "us_per_token_ratio": 1.0, "growth_when_doubled": None}]
    old = _old_scan()
    for unit in UNITS:
        for name, fn, sizes in (("current", scan, (500_000, 1_000_000)), ("previous", old, (5_000, 10_000, 20_000))):
            previous = None
            for size in sizes:
                text = unit * (size // len(unit))
                seconds, tokens = _timed(fn, text)
                rows.append({"input": f"{unit!r} × {len(text) // len(unit):,}", "pattern": name, "chars": len(text),
                             "seconds": seconds, "tokens": tokens, "us_per_token_ratio": seconds / tokens / base,
                             "growth_when_doubled": seconds / previous if previous else None})
                previous = seconds
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tokenize_runs.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    lines = ["# Tokenizer on long runs without spaces", "",
             "Time of `scan` on real text and on runs without spaces; the previous pattern tried its e-mail "
             "branch at every position of a run. Growth when doubled: about 2 is linear, about 4 quadratic. "
             "Time per token as a ratio to real text.", "",
             "| input | pattern | characters | seconds | tokens | time per token vs real text | growth when doubled |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        growth = f"{r['growth_when_doubled']:.1f}" if r["growth_when_doubled"] else ""
        lines.append(f"| {r['input']} | {r['pattern']} | {r['chars']:,} | {r['seconds']:.2f} | {r['tokens']:,} | "
                     f"{r['us_per_token_ratio']:.1f} | {growth} |")
    md = RESULTS / "tokenize_runs.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record([md, RESULTS / "tokenize_runs.json"], argv)
    print(md.read_text(encoding="utf-8"))
    return 0
