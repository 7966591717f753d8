"""Benchmark: counting frames on a preprocessed corpus vs a plain Python regular-expression count.

Run from the repository root::

    python -m benchmarks.bench_frames            # literary-fr-scale, ~10M tokens (a few minutes)
    python -m benchmarks.bench_frames --quick    # 300 chunks, a smoke run

What is timed, in this process, on the same corpus and the default frame dictionary:

- ``discourse``: :func:`discourse.frames.document_frame_counts` — hits per document and frame
  on the preprocessed tokens, with the dictionary already compiled against the vocabularies
  (compile once, count many times: the usual situation when counting by group, period, etc.);
  the compilation is timed separately, and an end-to-end figure (compile + count) is given;
- ``regex``: one compiled ``re`` pattern per frame (the alternation of its patterns, wildcards
  as ``\\w*``, spaces as ``\\s+``, case-insensitive except case-sensitive patterns), counted
  with ``len(findall)`` over every raw text — what one writes without this library; and the
  same patterns as one expression with a named group per frame, in a single pass.

Throughput is reported in tokens of the preprocessed corpus per second for both, so the
ratio is a ratio of wall times. Preprocessing is not timed (it is the preprocessing
benchmark's business). Best of ``--repeat`` runs; one core (NumPy gathers are single-threaded).
Results go to ``benchmarks/bench_frames/results/frames.md`` and ``frames.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import data_home, record, results_dir
from discourse.corpus import Corpus
from discourse.frames import FrameDictionary
from discourse.frames.match import _COMPILED_CACHE, _VOCAB_CACHE, compile_dictionary, document_frame_counts

RESULTS = results_dir(__name__)


def load_literary(limit: int | None) -> Corpus:
    path = data_home() / "literary-fr-scale" / "chunks.jsonl.gz"
    texts, ids = [], []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.append(row["text"])
            ids.append(row["doc_id"])
            if limit and len(texts) >= limit:
                break
    return Corpus.from_texts(texts, ids=ids)


def _frame_alternation(frame) -> str:
    """The patterns of a frame as one alternation; longest first so that a phrase wins over its words."""
    parts = []
    for p in sorted(frame.patterns, key=lambda p: -len(p.words)):
        words = []
        for w in p.words:
            stem = re.escape(w.rstrip("*")).replace("'", "['’]")
            words.append(stem + (r"\w*" if w.endswith("*") else ""))
        sep = r"\s*" if any(w.endswith("'") for w in p.words) else r"\s+"
        body = r"\b" + sep.join(words) + r"\b"
        parts.append(f"(?-i:{body})" if p.case_sensitive else body)
    return "|".join(parts)


def regex_for_frame(frame) -> re.Pattern[str]:
    """One case-insensitive regular expression per frame (each frame counted on its own, as discourse does)."""
    return re.compile(_frame_alternation(frame), re.IGNORECASE)


def regex_all_frames(dictionary) -> re.Pattern[str]:
    """One regular expression for all frames (one pass; a stretch counts in one frame only)."""
    return re.compile("|".join(f"(?P<f{i}>{_frame_alternation(f)})" for i, f in enumerate(dictionary)), re.IGNORECASE)


def count_single_pass(rx: re.Pattern[str], texts: list[str], n_frames: int) -> list[int]:
    counts = [0] * n_frames
    for t in texts:
        for m in rx.finditer(t):
            counts[int(m.lastgroup[1:])] += 1
    return counts


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(limit: int | None, repeat: int, out_dir: Path, n_jobs: int, tokens_file: Path | None = None) -> dict:
    import discourse
    from discourse.tokens import Tokens

    corpus = load_literary(limit)
    t0 = time.perf_counter()
    if tokens_file is not None and tokens_file.exists():
        tokens = Tokens.load(tokens_file)  # reuse a preprocessing of the same corpus (--tokens)
        if tokens.doc_ids != corpus.ids:
            raise SystemExit(f"{tokens_file} holds other documents than the corpus read; delete it")
    else:
        # stop words kept, so that the corpus keeps its ~10M tokens (punctuation is removed)
        tokens = discourse.Preprocessor(backend="fast", stop_words=None, n_jobs=n_jobs, progress=False).transform(corpus)
        if tokens_file is not None:
            tokens.save(tokens_file)
    prep = time.perf_counter() - t0
    n = tokens.n_tokens
    d = FrameDictionary.default()
    print(f"{len(corpus)} documents, {n:,} tokens (preprocessed in {prep:.0f} s)", flush=True)

    def fresh_compile():
        _VOCAB_CACHE.pop(tokens, None)
        _COMPILED_CACHE.pop(tokens, None)
        return compile_dictionary(tokens, d)

    t_compile, compiled = best_of(fresh_compile, repeat)
    t_count, (counts, frames) = best_of(lambda: document_frame_counts(tokens, compiled), repeat)
    t_e2e, _ = best_of(lambda: (fresh_compile(), document_frame_counts(tokens, compile_dictionary(tokens, d)))[1], max(1, repeat // 2))
    ours = counts.sum(axis=0)

    regexes = [regex_for_frame(f) for f in d]
    texts = corpus.texts
    # the regular expressions take minutes on the full corpus: one timed run each (long runs vary little)
    t_regex, regex_counts = best_of(lambda: [sum(len(rx.findall(t)) for t in texts) for rx in regexes], max(1, repeat // 4))
    combined = regex_all_frames(d)
    t_regex1, regex1_counts = best_of(lambda: count_single_pass(combined, texts, len(d)), max(1, repeat // 4))

    result = {
        "benchmark": "frames",
        "corpus": "literary-fr-scale" + (f" (first {limit} chunks)" if limit else ""),
        "documents": len(corpus),
        "tokens": n,
        "preprocessing": "Preprocessor(backend='fast', stop_words=None): punctuation removed, expressions joined",
        "dictionary": f"default ({len(d)} frames, {len(d.all_patterns())} patterns)",
        "seconds": {"compile": t_compile, "count": t_count, "compile_and_count": t_e2e, "regex": t_regex, "regex_single_pass": t_regex1},
        "tokens_per_second": {"count": n / t_count, "compile_and_count": n / t_e2e, "regex": n / t_regex, "regex_single_pass": n / t_regex1},
        # against the faster of the two regular-expression counts
        "ratio_vs_regex": {"count": min(t_regex, t_regex1) / t_count, "compile_and_count": min(t_regex, t_regex1) / t_e2e},
        "hits": {f: {"discourse": int(c), "regex": int(r), "regex_single_pass": int(r1)} for f, c, r, r1 in zip(frames, ours, regex_counts, regex1_counts)},
        "multiword_alignment_on_text": bool(compiled.gapped),
        "machine": {"python": sys.version.split()[0], "numpy": np.__version__, "platform": platform.platform(), "cpus": os.cpu_count()},
        "repeat": repeat,
    }
    write(result, out_dir)
    return result


def write(result: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "frames.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    s, tps, ratio = result["seconds"], result["tokens_per_second"], result["ratio_vs_regex"]
    lines = [
        "# Frame counting speed",
        "",
        f"Corpus: {result['corpus']}, {result['documents']:,} documents, {result['tokens']:,} tokens after",
        f"preprocessing ({result['preprocessing']}). Dictionary: {result['dictionary']}.",
        f"Best of {result['repeat']} runs, one process. Machine: {result['machine']['platform']}, {result['machine']['cpus']} CPUs,",
        f"Python {result['machine']['python']}, NumPy {result['machine']['numpy']}.",
        "",
        "| method | seconds | tokens / s | speed-up vs the faster regex |",
        "|---|---:|---:|---:|",
        f"| discourse: count (dictionary compiled) | {s['count']:.3f} | {tps['count']:,.0f} | {ratio['count']:.1f}× |",
        f"| discourse: compile + count | {s['compile_and_count']:.3f} | {tps['compile_and_count']:,.0f} | {ratio['compile_and_count']:.1f}× |",
        f"| plain Python `re`, one pattern per frame, raw texts | {s['regex']:.3f} | {tps['regex']:,.0f} | {min(s['regex'], s['regex_single_pass']) / s['regex']:.2f}× |",
        f"| plain Python `re`, one pattern for all frames (one pass) | {s['regex_single_pass']:.3f} | {tps['regex_single_pass']:,.0f} | {min(s['regex'], s['regex_single_pass']) / s['regex_single_pass']:.2f}× |",
        "",
        f"Compiling the dictionary against the vocabularies alone: {s['compile']:.3f} s.",
        "",
        "Hits per frame (the two methods do not count the same thing: the regex sees surface",
        "forms only, discourse matches lemmas and forms and counts overlapping patterns once per frame):",
        "",
        "| frame | discourse | regex per frame | regex one pass |",
        "|---|---:|---:|---:|",
        *[f"| {f} | {h['discourse']:,} | {h['regex']:,} | {h['regex_single_pass']:,} |" for f, h in result["hits"].items()],
        "",
        "Reproduce: `python -m benchmarks.bench_frames` (see the module docstring for what is timed).",
        "",
    ]
    (out_dir / "frames.md").write_text("\n".join(lines), encoding="utf-8")
    record([out_dir / "frames.json", out_dir / "frames.md"])



def evidence(out_dir: Path, n_jobs: int) -> dict:
    """The corpus findings of the framing issue, written to ``frames_evidence.md`` / ``.json``.

    - Assemblée nationale sittings 2013-2018: monthly rate of the state-of-emergency and
      counter-terrorism frames (bootstrap intervals over sittings), the peak months;
    - "mariage pour tous" debate (speeches on the bill): keyness UMP vs SRC (G², LRC) and
      Lafon's specificities of each group, top terms each way.
    """
    import discourse
    from discourse import corpora
    from discourse.frames import count_frames
    from discourse.lexicometry import keyness, specificities

    home = data_home()
    prep = discourse.Preprocessor(backend="fast", n_jobs=n_jobs, progress=False)
    an = corpora.load("an-debats-2013-2018", data_home=home)
    an_tokens = prep.transform(an)
    d = FrameDictionary.default().select(["state_of_emergency", "counter_terrorism"])
    monthly = count_frames(an_tokens, d, freq="M", n_boot=1000, random_state=0)
    peaks = {}
    for frame, g in monthly.groupby("frame", sort=False):
        top = g.sort_values("rate_per_10k", ascending=False).head(5)
        before = g[g.period < pd.Period("2015-11", "M")]
        peaks[frame] = {
            "top_months": [
                {"period": str(r.period), "count": int(r.count), "tokens": int(r.tokens), "rate_per_10k": round(r.rate_per_10k, 2),
                 "ci_low": round(r.ci_low, 2), "ci_high": round(r.ci_high, 2), "sittings": int(r.n_docs)}
                for r in top.itertuples()
            ],
            "rate_before_2015_11": round(before["count"].sum() / before["tokens"].sum() * 1e4, 2),
            "empty_months": [str(p) for p in g[g.no_tokens].period],
        }
    mpt = corpora.load("an-mariage-pour-tous-2013", data_home=home)
    meta = mpt.metadata
    keep = (meta["turn_type"] == "intervention") & (meta["subject"] == "mpt")
    mpt = mpt.filter(keep.to_numpy())
    mpt_tokens = prep.transform(mpt)
    key = keyness(mpt_tokens, {"group": "UMP"}, "g2", reference_mask={"group": "SRC"}, min_count=20)
    lrc = keyness(mpt_tokens, {"group": "UMP"}, "lrc", reference_mask={"group": "SRC"}, min_count=20)
    spec = specificities(mpt_tokens, "group", min_count=20)

    def terms(table, col, n=15, head=True):
        part = table.head(n) if head else table.tail(n).iloc[::-1]
        return [f"{t} ({v:.1f})" for t, v in zip(part.term, part[col])]

    result = {
        "an_debates": {"documents": len(an_tokens), "tokens": an_tokens.n_tokens, "peaks": peaks},
        "mariage": {
            "turns": len(mpt_tokens), "tokens": mpt_tokens.n_tokens,
            "tokens_UMP": key.attrs["tokens_target"], "tokens_SRC": key.attrs["tokens_reference"],
            "g2_UMP": terms(key, "g2"), "g2_SRC": terms(key, "g2", head=False),
            "lrc_UMP": terms(lrc, "lrc"), "lrc_SRC": terms(lrc, "lrc", head=False),
            "specificities": {str(p): {"over": terms(g, "specificity", 10), "under": terms(g, "specificity", 5, head=False)}
                              for p, g in spec.groupby("part", sort=False)},
        },
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    monthly.assign(period=monthly.period.astype(str)).to_csv(out_dir / "frames_an_monthly.csv", index=False)
    (out_dir / "frames_evidence.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    lines = ["# Framing evidence on real corpora", "", "Reproduce: `python -m benchmarks.bench_frames --evidence`.", "",
             f"## Assemblée nationale sittings 2013-2018 ({len(an_tokens):,} sittings, {an_tokens.n_tokens:,} tokens after preprocessing)", "",
             "Monthly rate per 10,000 tokens, 95 % bootstrap interval over sittings (table: `frames_an_monthly.csv`).", ""]
    for frame, info in peaks.items():
        lines += [f"### {frame}", "", f"Rate before November 2015: {info['rate_before_2015_11']} per 10k tokens.", "",
                  "| month | hits | tokens | rate / 10k | 95 % interval | sittings |", "|---|---:|---:|---:|---|---:|"]
        lines += [f"| {m['period']} | {m['count']} | {m['tokens']:,} | {m['rate_per_10k']} | {m['ci_low']}–{m['ci_high']} | {m['sittings']} |" for m in info["top_months"]]
        lines += ["", f"Months without sittings (rows kept, rate NaN): {', '.join(info['empty_months'])}", ""]
    mr = result["mariage"]
    lines += [f"## \"Mariage pour tous\" debate ({mr['turns']:,} speeches on the bill, {mr['tokens']:,} tokens)", "",
              f"Keyness UMP ({mr['tokens_UMP']:,} tokens) against SRC ({mr['tokens_SRC']:,} tokens), lemmas seen at least 20 times.", "",
              f"- G², UMP side: {', '.join(mr['g2_UMP'])}", f"- G², SRC side: {', '.join(mr['g2_SRC'])}",
              f"- LRC, UMP side: {', '.join(mr['lrc_UMP'])}", f"- LRC, SRC side: {', '.join(mr['lrc_SRC'])}", "",
              "Lafon specificities by group (signed log10 of the hypergeometric tail):", ""]
    for p, v in mr["specificities"].items():
        lines.append(f"- {p}: over {', '.join(v['over'])}; under {', '.join(v['under'])}")
    (out_dir / "frames_evidence.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    record([out_dir / "frames_an_monthly.csv", out_dir / "frames_evidence.json", out_dir / "frames_evidence.md"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 chunks only (smoke run)")
    parser.add_argument("--limit", type=int, default=None, help="number of chunks to read (default: all)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--n-jobs", type=int, default=2, help="preprocessing workers (counting is single-threaded)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--tokens", type=Path, default=None, help="save the preprocessed tokens here, or reuse them if the file exists")
    parser.add_argument("--evidence", action="store_true", help="compute the corpus findings (AN peaks, mariage keyness) instead of timing")
    args = parser.parse_args(argv)
    if args.evidence:
        evidence(args.out, args.n_jobs)
        print((args.out / "frames_evidence.md").read_text(encoding="utf-8"))
        return 0
    limit = 300 if args.quick else args.limit
    result = run(limit, 2 if args.quick else args.repeat, args.out, args.n_jobs, args.tokens)
    print(json.dumps({k: result[k] for k in ("tokens", "seconds", "tokens_per_second", "ratio_vs_regex")}, indent=2))
    return 0
