"""The whole analysis on a real Dask LocalCluster: memory of every process as the corpus grows,
end-to-end time with 1 and 2 workers beside the local engine, and a cost estimate at 10⁹ tokens.

    python -m benchmarks.bench_dask                       # the default plan (see PLAN)
    python -m benchmarks.bench_dask --plan e2e:dask:2 e2e:dask:1 e2e:local mem:5 mem:10 mem:40
    python -m benchmarks.bench_dask --quick               # 0.2 / 0.4 M words: a smoke run (results/bench_dask_quick.*)
    python -m benchmarks.bench_dask --report-only         # the report again from results/bench_dask.json

A step is ``mem:<M words>[:local | :dask:<workers>]`` (a replicated corpus of that size, 2 workers
by default) or ``e2e:local`` / ``e2e:dask:<workers>`` (the three corpora once); ``--resume`` keeps
the runs already in the result file.

Corpora (never written into the repository: shards go under ``--root``, default
``/tmp/discourse-bench-dask``): the shipped Assemblée sittings (an-debats-2013-2018), legal
codes (legi-codes) and literary chunks (literary-fr-scale), streamed in that order into Parquet
shards of 1,000 documents (``discourse.shards.write_shards``); the 10, 20 and 40 M-word corpora
cycle through them again (replicas get new ids, ``…~r1``), so every size is made of the same
kinds of documents. Sizes are whitespace words of the raw texts; the preprocessor's token count
is given beside them.

The analysis, one fresh process for each run (so every peak below belongs to that run):

1. ``read_shards``; 2. ``preprocess_shards`` with ``Preprocessor(backend="fast")`` (lemmas,
default stop words); 3. ``document_term_matrix`` (``min_df=5, max_df=0.5``) over the shards;
4. :class:`discourse.engines.topics.SampledLDA`, K = 50, fitted on a uniform sample of 10,000
documents then every shard folded in; 5. frame counts of the default frame dictionary
(``discourse.engines.stats``) when that module is present.

Memory: peak resident set (``getrusage`` maximum RSS) of each worker process, read on the worker
at the end of the run, and of the client process, which in a ``LocalCluster`` also runs the
scheduler. CPU: user + system seconds of every process. The machine (2 cores) was shared with
other jobs: every row gives the load average, and the cost estimate is built from CPU seconds,
which other jobs disturb far less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.common import markdown_table, record, results_dir

SOURCES = ("an-debats-2013-2018", "legi-codes", "literary-fr-scale")
DOCUMENTS_PER_SHARD = 1000
SAMPLE_SIZE = 10_000
K = 50
#: the default order of the runs: the end-to-end runs first (the issue's targets), then memory
PLAN = ("mem:10", "e2e:dask:2", "e2e:dask:1", "e2e:local", "mem:20", "mem:40")
QUICK_PLAN = ("mem:0.2", "mem:0.2:dask:1", "mem:0.2:local", "e2e:dask:2", "mem:0.4")


# ------------------------------------------------------------------------------ the corpora
def _chunks(target_words: int | None, chunk: int = DOCUMENTS_PER_SHARD) -> Iterator[Any]:
    """Corpus chunks of the three corpora in turn, cycled (replica ids ``~rN``) until
    ``target_words`` whitespace words (None: each corpus once)."""
    from discourse import corpora
    from discourse.corpus import Corpus

    words = 0
    replica = 0
    while True:
        for name in SOURCES:
            corpus = corpora.load(name)
            texts, ids = corpus.texts, corpus.ids
            for a in range(0, len(texts), chunk):
                part_texts = texts[a:a + chunk]
                part_ids = [i if replica == 0 else f"{i}~r{replica}" for i in ids[a:a + chunk]]
                if target_words is not None:
                    n = [len(t.split()) for t in part_texts]
                    room = target_words - words
                    if sum(n) >= room:  # cut inside the chunk to stop at the target
                        total, keep = 0, 0
                        while keep < len(n) and total < room:
                            total += n[keep]
                            keep += 1
                        part_texts, part_ids = part_texts[:keep], part_ids[:keep]
                words += sum(len(t.split()) for t in part_texts)
                yield Corpus.from_texts(part_texts, ids=part_ids,
                                        metadata=pd.DataFrame({"source": [name] * len(part_texts)}))
                if target_words is not None and words >= target_words:
                    return
            del corpus, texts, ids
        replica += 1
        if target_words is None:
            return


def prepare(root: Path, label: str, target_words: int | None, per_shard: int = DOCUMENTS_PER_SHARD) -> Path:
    """The shard folder of one corpus size (made once, in this process, then reused)."""
    from discourse.shards import write_shards

    folder = root / f"shards-{label}-{per_shard}"
    if not (folder / "shards.json").exists():
        start = time.perf_counter()
        write_shards(_chunks(target_words, per_shard), folder, documents_per_shard=per_shard, overwrite=True, progress=False)
        print(f"shards {label}: written in {time.perf_counter() - start:.0f} s", flush=True)
    return folder


# ------------------------------------------------------------------------------ one run (own process)
def _usage() -> dict[str, float]:
    """Peak RSS (MB) and CPU seconds of the calling process."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_mb": r.ru_maxrss / 1024.0, "cpu_s": r.ru_utime + r.ru_stime}


def run_one(shards: Path, work: Path, engine_spec: str, n_workers: int, sample_size: int = SAMPLE_SIZE) -> dict[str, Any]:
    """The analysis on one engine; returns times per stage, memory and CPU of every process."""
    from discourse.engines import DaskEngine, LocalEngine
    from discourse.engines.sharded import document_term_matrix, preprocess_shards
    from discourse.engines.topics import SampledLDA
    from discourse.preprocess import Preprocessor
    from discourse.shards import read_shards

    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    engine = LocalEngine() if engine_spec == "local" else DaskEngine(n_workers=n_workers, threads_per_worker=1)
    stages: dict[str, float] = {}
    out: dict[str, Any] = {"engine": engine_spec, "workers": n_workers if engine_spec == "dask" else 0}
    peaks: dict[str, list[float]] = {}  # peak RSS of each process after each stage (a peak only rises)

    def after(stage: str) -> None:
        procs = [_usage()] + (list(engine.client.run(_usage).values()) if engine_spec == "dask" else [])
        peaks[stage] = [round(u["peak_mb"], 1) for u in procs]
    with engine:
        if engine_spec == "dask":
            engine.client.wait_for_workers(n_workers)
        start = time.perf_counter()
        sharded = read_shards(shards)
        stages["load"] = time.perf_counter() - start
        after("load")

        start = time.perf_counter()
        tokens = preprocess_shards(sharded, Preprocessor(backend="fast"), folder=work / "tokens", engine=engine,
                                   progress=False)
        stages["preprocess"] = time.perf_counter() - start
        after("preprocess")
        out["tokens"] = tokens.n_tokens

        start = time.perf_counter()
        dtm = document_term_matrix(tokens, min_df=5, max_df=0.5, engine=engine, folder=work / "dtm", progress=False)
        stages["dtm"] = time.perf_counter() - start
        out["matrix_shape"] = list(dtm.shape)
        out["matrix_tokens"] = int(dtm.matrix.sum())
        after("dtm")
        del dtm  # the topic model reads the per-shard matrices the builder saved, on the workers
        # one file a shard, named dtm-<shard number>-<key> by the builder: sorted = shard order
        parts = sorted((work / "dtm").glob("dtm-*.discourse"))

        start = time.perf_counter()
        lda = SampledLDA(n_topics=K, sample_size=sample_size, random_state=0).fit(parts, engine=engine, folder=work / "topics")
        stages["lda"] = time.perf_counter() - start
        after("lda")
        out["lda_sample_documents"] = len(lda.sample_doc_ids_)

        start = time.perf_counter()
        out["frames"] = _frame_counts(tokens, engine)
        stages["frames"] = time.perf_counter() - start
        after("frames")

        if engine_spec == "dask":
            workers = engine.client.run(_usage)
            out["worker_peak_mb"] = [round(w["peak_mb"], 1) for w in workers.values()]
            out["worker_cpu_s"] = [round(w["cpu_s"], 1) for w in workers.values()]
    out["stages_s"] = {k: round(v, 2) for k, v in stages.items()}
    out["peak_mb_after_stage"] = peaks  # [client, worker 1, worker 2…] after each stage
    out["total_s"] = round(sum(stages.values()), 2)
    client = _usage()
    out["client_peak_mb"] = round(client["peak_mb"], 1)
    out["client_cpu_s"] = round(client["cpu_s"], 1)
    out["documents"] = sharded.n_documents
    out["shards"] = len(sharded)
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    shutil.rmtree(work, ignore_errors=True)
    return out


def _frame_counts(tokens: Any, engine: Any) -> str:
    try:
        from discourse.engines import stats
    except ImportError:
        return "not run (discourse.engines.stats absent)"
    counts = stats.frame_counts(tokens, "default", engine=engine)
    return f"{len(counts.doc_ids)} documents × {len(counts.frames)} frames"


# ------------------------------------------------------------------------------ the report
def _fit(x: list[float], y: list[float]) -> tuple[float, float]:
    """Least-squares line ``y = a + b x``: (a, b); one point gives the line through the origin."""
    if len(set(x)) < 2:
        return 0.0, y[0] / x[0]
    b, a = np.polyfit(np.asarray(x, dtype=float), np.asarray(y, dtype=float), 1)
    return float(a), float(b)


def _scaling(points: list[dict[str, Any]], e2e: list[dict[str, Any]]) -> list[str]:
    """The cost at 10⁹ words from the 2-worker runs (CPU of every process, wall, client memory)."""
    if not points:
        return []
    words = [p["words"] / 1e6 for p in points]
    cpu = [sum(p.get("worker_cpu_s", [])) + p["client_cpu_s"] for p in points]
    wall = [p["total_s"] for p in points]
    client = [p["client_peak_mb"] for p in points]
    worker = [max(p.get("worker_peak_mb", [0])) for p in points]
    a_cpu, b_cpu = _fit(words, cpu)
    a_wall, b_wall = _fit(words, wall)
    a_cl, b_cl = _fit(words, client)
    a_wk, b_wk = _fit(words, worker)
    lda = np.mean([p["stages_s"]["lda"] for p in points])
    sample = max(p["lda_sample_documents"] for p in points)
    lines = [
        f"Fitted on {len(points)} two-worker run(s) at {', '.join(f'{w:.1f}' for w in words)} M words "
        f"(least squares, y = a + b × M words): CPU of all processes a = {a_cpu:.0f} s, b = {b_cpu:.1f} s per M words; "
        f"wall a = {a_wall:.0f} s, b = {b_wall:.1f} s per M words; largest worker peak a = {a_wk:.0f} MB, "
        f"b = {b_wk:.2f} MB per M words; client (+ scheduler) peak a = {a_cl:.0f} MB, b = {b_cl:.2f} MB per M words.",
        "",
        "| workers | CPU hours at 10⁹ words | wall hours if the CPU splits evenly over the workers | client peak if it keeps growing linearly |",
        "|---|---|---|---|",
    ]
    cpu_h = (a_cpu + b_cpu * 1000) / 3600
    for n in (2, 8, 32, 128):
        lines.append(f"| {n} | {cpu_h:.1f} | {cpu_h / n:.2f} | {(a_cl + b_cl * 1000) / 1024:.1f} GB |")
    lines += ["", f"Workers: the largest peak ({min(worker):.0f}–{max(worker):.0f} MB over these runs) is reached in the LDA "
              "stage (the sample fit and the fold-in of the shard with the most distinct terms per document, the 1,000 "
              "Assemblée sittings), not in preprocessing (about 670 MB at every size); it depends on the shard, the "
              "vocabulary and K, not on the number of shards, so it is not extrapolated linearly."]
    lines += ["", f"The sample LDA fit (K = {K}, {sample:,} documents) runs once on one worker whatever the corpus size "
              f"({lda:.0f} s here, inside the wall times above); the other stages are maps over shards. The client "
              "holds the stacked matrix that `document_term_matrix` returns (it grows with the corpus); a worker holds "
              "one shard at a time (and the sample while it fits). These are extrapolations from a "
              "shared 2-core machine, not measurements at 10⁹ words."]
    return lines


def report(memory: list[dict[str, Any]], e2e: list[dict[str, Any]], e2e_words: int | None, plan: list[str]) -> str:
    parts = ["# Dask engine: memory per process, end-to-end time, cost at 10⁹ words", __doc__.split("\n\n", 1)[1].strip(),
             f"Runs, in the order made: {' '.join(plan)}."]
    points = [{**r, "words": r["label"] * 1e6} for r in memory if r["engine"] == "dask" and r["workers"] == 2]
    points += [{**r, "words": e2e_words, "label": round((e2e_words or 0) / 1e6, 1)} for r in e2e
               if r["engine"] == "dask" and r["workers"] == 2]
    points.sort(key=lambda r: r["words"])
    if points:
        rows = [{"M words": r["label"], "M tokens (preprocessed)": round(r["tokens"] / 1e6, 2), "documents": r["documents"],
                 "shards": r["shards"], "matrix": " × ".join(map(str, r["matrix_shape"])),
                 "worker peak MB": " / ".join(map(str, r.get("worker_peak_mb", []))),
                 "client + scheduler peak MB": r["client_peak_mb"], "total s": r["total_s"],
                 "load avg": r["load_average"][0]} for r in points]
        parts += ["## Peak memory of every process (2 workers)", markdown_table(pd.DataFrame(rows))]
    if e2e:
        parts += [f"## End to end on the three corpora ({(e2e_words or 0) / 1e6:.1f} M words, "
                  f"{e2e[0]['tokens'] / 1e6:.1f} M preprocessed tokens, {e2e[0]['documents']} documents)",
                  _engines_table(e2e), f"Frame counts: {e2e[0]['frames']}."]
        parts += _speedups(e2e)
    staged = [r for r in memory + e2e if r.get("peak_mb_after_stage")]
    if staged:
        rows = [{"run": r["step"], **{k: " / ".join(map(str, v)) for k, v in r["peak_mb_after_stage"].items()}} for r in staged]
        parts += ["## Where the peaks are reached: peak MB of [client, worker 1, worker 2] after each stage "
                  "(a peak only rises; runs made after this column was added)", markdown_table(pd.DataFrame(rows))]
    sizes = sorted({r["label"] for r in memory if not (r["engine"] == "dask" and r["workers"] == 2)})
    for size in sizes:
        same = [r for r in memory if r["label"] == size]
        parts += [f"## Engines side by side at {size:g} M words (replicated corpus)", _engines_table(same)]
        parts += _speedups(same)
    scaling = _scaling(points, e2e)
    if scaling:
        parts += ["## Cost at 10⁹ words (extrapolated from the measured scaling, not measured)", "\n".join(scaling)]
    return "\n\n".join(parts) + "\n"


def _engines_table(rows: list[dict[str, Any]]) -> str:
    table = []
    for r in rows:
        table.append({"engine": "local" if r["engine"] == "local" else f"dask, {r['workers']} worker(s)",
                      **{f"{k} s": v for k, v in r["stages_s"].items()}, "total s": r["total_s"],
                      "worker peak MB": " / ".join(map(str, r.get("worker_peak_mb", []))) or "—",
                      "client peak MB": r["client_peak_mb"],
                      "CPU s (all)": round(sum(r.get("worker_cpu_s", [])) + r["client_cpu_s"], 1),
                      "load avg": r["load_average"][0]})
    return markdown_table(pd.DataFrame(table))


def _speedups(rows: list[dict[str, Any]]) -> list[str]:
    by = {(r["engine"], r["workers"]): r for r in rows}
    out = []
    if ("dask", 1) in by and ("dask", 2) in by:
        one, two = by[("dask", 1)]["total_s"], by[("dask", 2)]["total_s"]
        out.append(f"Speed-up from 1 to 2 workers: {one / two:.2f}× in wall time (the machine's 2 cores were shared with "
                   "other jobs, see the load average: this understates what 2 free cores give).")
    if ("local", 0) in by and ("dask", 2) in by:
        out.append(f"Local engine time / 2 workers' time: {by[('local', 0)]['total_s'] / by[('dask', 2)]['total_s']:.2f}×.")
    return out


def _subprocess_run(shards: Path, work: Path, engine: str, workers: int, sample: int) -> dict[str, Any]:
    """One run in a fresh Python process (its peak RSS is its own); the JSON it prints last."""
    cmd = [sys.executable, "-m", "benchmarks.bench_dask", "--run-one", str(shards), str(work), engine, str(workers), str(sample)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_dask", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default="/tmp/discourse-bench-dask", help="where shards and work files go (never the repository)")
    parser.add_argument("--plan", nargs="+", default=list(PLAN),
                        help="runs in order: mem:<M words>[:local | :dask:<workers>] (default 2 workers) or e2e:local, e2e:dask:<workers> (the three corpora)")
    parser.add_argument("--quick", action="store_true", help="0.2/0.4 M words and 0.3 M end to end: a smoke run")
    parser.add_argument("--out", default=None)
    parser.add_argument("--resume", action="store_true", help="keep the runs already in the result file and skip their steps")
    parser.add_argument("--report-only", action="store_true", help="write the report again from the result file")
    parser.add_argument("--run-one", nargs=5, metavar=("SHARDS", "WORK", "ENGINE", "WORKERS", "SAMPLE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        shards, work, engine, workers, sample = args.run_one
        print(json.dumps(run_one(Path(shards), Path(work), engine, int(workers), int(sample))), flush=True)
        return 0
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    plan = list(QUICK_PLAN) if args.quick else args.plan
    per_shard = 25 if args.quick else DOCUMENTS_PER_SHARD
    sample = 100 if args.quick else SAMPLE_SIZE
    name = args.out or ("bench_dask_quick" if args.quick else "bench_dask")
    out = results_dir(__name__)
    out.mkdir(parents=True, exist_ok=True)
    memory: list[dict[str, Any]] = []
    e2e: list[dict[str, Any]] = []
    e2e_words = None
    done: set[str] = set()
    if args.report_only:
        previous = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        md = out / f"{name}.md"
        md.write_text(report(previous["memory"], previous["end_to_end"], previous["end_to_end_words"], previous["plan"]),
                      encoding="utf-8")
        record([md], argv)
        return 0
    if args.resume and (out / f"{name}.json").exists():
        previous = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        memory, e2e, e2e_words = previous["memory"], previous["end_to_end"], previous["end_to_end_words"]
        for r in memory:  # rows written before steps were named
            r.setdefault("step", f"mem:{r['label']:g}" + ("" if (r["engine"], r["workers"]) == ("dask", 2) else f":{r['engine']}"))
        done = {r["step"] for r in memory + e2e}
    for step in plan:
        if step in done:
            continue
        kind, _, rest = step.partition(":")
        size, _, engine_spec = rest.partition(":")
        engine, _, workers = (engine_spec or ("dask:2" if kind == "mem" else "")).partition(":")
        if kind == "mem":  # a replicated corpus of <size> M words
            label = float(size)
            folder = prepare(root, f"{label:g}M", int(label * 1e6), per_shard)
        elif kind == "e2e":  # the three corpora once
            engine, _, workers = rest.partition(":")
            target = int(3e5) if args.quick else None
            folder = prepare(root, "e2e-quick" if args.quick else "e2e", target, per_shard)
            e2e_words = e2e_words or _words(folder)
            label = round(e2e_words / 1e6, 1)
        else:
            parser.error(f"unknown step {step!r}")
        row = _subprocess_run(folder, root / "work", engine, int(workers or 0), sample)
        row["label"] = label
        row["step"] = step
        (e2e if kind == "e2e" else memory).append(row)
        print(f"{step}: {row}", flush=True)
        # written after every run, so a run stopped at the deadline keeps what was measured
        md, js = out / f"{name}.md", out / f"{name}.json"
        md.write_text(report(memory, e2e, e2e_words, plan), encoding="utf-8")
        js.write_text(json.dumps({"plan": plan, "memory": memory, "end_to_end": e2e, "end_to_end_words": e2e_words},
                                 indent=1) + "\n", encoding="utf-8")
        record([md, js], argv)
    print((out / f"{name}.md").read_text(encoding="utf-8"))
    return 0


def _words(folder: Path) -> int:
    from discourse.shards import read_shards

    return sum(sum(len(t.split()) for t in corpus.texts) for corpus in read_shards(folder))
