"""The whole analysis on a real Dask LocalCluster: memory of every process as the corpus grows,
end-to-end time with 1 and 2 workers beside the local engine, and a cost estimate at 10⁹ tokens.

    python -m benchmarks.bench_dask                       # the default plan (see PLAN): e2e:dask:2 e2e:dask:1 e2e:local mem:10 mem:20 mem:40
    python -m benchmarks.bench_dask --plan e2e:dask:2 mem:5 mem:10 mem:20
    python -m benchmarks.bench_dask --quick               # 0.2 / 0.4 M words: a smoke run (results/bench_dask_quick.*)
    python -m benchmarks.bench_dask --report-only         # the report again from results/bench_dask.json

A step is ``mem:<M>[:local | :dask:<workers>]`` (a replicated corpus of that size, 2 workers by
default) or ``e2e:local`` / ``e2e:dask:<workers>`` (the three corpora once); ``--resume`` keeps
the runs already in the result file. ``--unit tokens`` (the default) counts the M of ``mem:<M>``
in preprocessed tokens (``Tokens.n_tokens`` of ``Preprocessor(backend="fast")``, stop words
included): the first end-to-end run saves the tokens of every document of the three corpora
(under ``--root``), and the replicated corpora are cut at the requested number of tokens from
those counts. ``--unit words`` counts whitespace words of the raw texts (the earlier results).

Corpora (never written into the repository: shards go under ``--root``, default
``/tmp/discourse-bench-dask``): the shipped Assemblée sittings (an-debats-2013-2018), legal
codes (legi-codes) and literary chunks (literary-fr-scale), streamed in that order into Parquet
shards of 1,000 documents (``discourse.shards.write_shards``); the larger corpora cycle through
them again (replicas get new ids, ``…~r1``), so every size is made of the same kinds of
documents. Every table gives both the preprocessed tokens and the whitespace words.

The analysis, one fresh process for each run (so every peak below belongs to that run):

1. ``read_shards``; 2. ``preprocess_shards`` with ``Preprocessor(backend="fast")`` (lemmas,
default stop words); 3. ``document_term_matrix(..., gather=False)`` (``min_df=5, max_df=0.5``):
the parts stay on disk, the client holds the vocabulary and the parts' sizes; 4.
:class:`discourse.engines.topics.SampledLDA`, K = 50, fitted on a uniform sample of 10,000
documents on one worker, then every part folded in on the workers (by blocks of at most 50,000
nonzero counts); 5. frame counts of the default frame dictionary
(``discourse.engines.stats.frame_counts``: per-document hits joined in the client).

Memory: peak resident set (``VmHWM`` of /proc/self/status, the high-water mark of the process's
own address space) of each worker process, read on the worker after each stage, and of the
client process, which in a ``LocalCluster`` also runs the scheduler. (Rows without
``"peak": "VmHWM"`` in the JSON used ``getrusage``'s ``ru_maxrss``, which Linux carries over
from the parent: their figures are the process's own only where above the parent's size at the
start, about 290 MB for the client of the end-to-end runs.) CPU: user + system seconds of every process. The machine (2 cores) was shared with
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
#: the default order of the runs: the end-to-end runs first (the issue's targets; the first one also
#: measures the tokens of every document, by which the memory runs' corpora are cut), then memory
PLAN = ("e2e:dask:2", "e2e:dask:1", "e2e:local", "mem:10", "mem:20", "mem:40")
QUICK_PLAN = ("mem:0.2", "mem:0.2:dask:1", "mem:0.2:local", "e2e:dask:2", "mem:0.4")


# ------------------------------------------------------------------------------ the corpora
def _chunks(target: int | None, chunk: int = DOCUMENTS_PER_SHARD, lengths: dict[str, int] | None = None,
            counted: dict[str, int] | None = None) -> Iterator[Any]:
    """Corpus chunks of the three corpora in turn, cycled (replica ids ``~rN``) until ``target``
    whitespace words, or preprocessed tokens when ``lengths`` (tokens per original document id)
    is given (None: each corpus once). ``counted`` receives the words and tokens written."""
    from discourse import corpora
    from discourse.corpus import Corpus

    counted = {} if counted is None else counted
    counted.update(words=0, tokens=0)
    words = 0
    replica = 0
    while True:
        for name in SOURCES:
            corpus = corpora.load(name)
            texts, ids = corpus.texts, corpus.ids
            for a in range(0, len(texts), chunk):
                part_texts = texts[a:a + chunk]
                base_ids = ids[a:a + chunk]
                if target is not None:
                    n = [lengths[i] for i in base_ids] if lengths is not None else [len(t.split()) for t in part_texts]
                    room = target - words
                    if sum(n) >= room:  # cut inside the chunk to stop at the target
                        total, keep = 0, 0
                        while keep < len(n) and total < room:
                            total += n[keep]
                            keep += 1
                        part_texts, base_ids = part_texts[:keep], base_ids[:keep]
                    words += sum(n[:len(part_texts)])
                part_ids = [i if replica == 0 else f"{i}~r{replica}" for i in base_ids]
                counted["words"] += sum(len(t.split()) for t in part_texts)
                if lengths is not None:
                    counted["tokens"] += sum(lengths[i] for i in base_ids)
                yield Corpus.from_texts(part_texts, ids=part_ids,
                                        metadata=pd.DataFrame({"source": [name] * len(part_texts)}))
                if target is not None and words >= target:
                    return
            del corpus, texts, ids
        replica += 1
        if target is None:
            return


def prepare(root: Path, label: str, target: int | None, per_shard: int = DOCUMENTS_PER_SHARD,
            lengths: dict[str, int] | None = None) -> Path:
    """The shard folder of one corpus size (made once, in this process, then reused); its words
    (and tokens, when cut by tokens) are kept in ``size.json`` beside the shards."""
    from discourse.shards import write_shards

    folder = root / f"shards-{label}-{per_shard}"
    if not (folder / "shards.json").exists():
        start = time.perf_counter()
        counted: dict[str, int] = {}
        write_shards(_chunks(target, per_shard, lengths, counted), folder, documents_per_shard=per_shard,
                     overwrite=True, progress=False)
        (folder / "size.json").write_text(json.dumps(counted), encoding="utf-8")
        print(f"shards {label}: written in {time.perf_counter() - start:.0f} s", flush=True)
    return folder


# ------------------------------------------------------------------------------ one run (own process)
def _usage() -> dict[str, float]:
    """Peak RSS (MB) and CPU seconds of the calling process.

    The peak is ``VmHWM`` of /proc/self/status (the high-water mark of this process's own
    address space). ``getrusage``'s ``ru_maxrss`` is not used where /proc exists: Linux carries
    it over fork and exec, so a run started by a parent holding 500 MB would report at least
    500 MB whatever it used itself (the earlier results' client figures had that floor)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    peak = r.ru_maxrss / 1024.0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024.0
                    break
    except OSError:
        pass
    return {"peak_mb": peak, "cpu_s": r.ru_utime + r.ru_stime}


def run_one(shards: Path, work: Path, engine_spec: str, n_workers: int, sample_size: int = SAMPLE_SIZE,
            lengths: Path | None = None) -> dict[str, Any]:
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
        # gather=False: the parts stay on disk, this process holds the vocabulary and the parts' sizes
        parts = document_term_matrix(tokens, min_df=5, max_df=0.5, engine=engine, folder=work / "dtm", progress=False,
                                     gather=False)
        stages["dtm"] = time.perf_counter() - start
        out["matrix_shape"] = list(parts.shape)
        after("dtm")

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
    out["peak"] = "VmHWM"
    if lengths is not None and not lengths.exists():  # tokens per document, to cut corpora by tokens (after measuring)
        _save_lengths(tokens, lengths)
    shutil.rmtree(work, ignore_errors=True)
    return out


def _frame_counts(tokens: Any, engine: Any) -> str:
    from discourse.engines import stats

    # None: the default dictionary; columns=[]: the metadata an overall table reads (doc_id only), as the
    # pipeline passes the columns of its count tables (the three corpora share no group or date column)
    counts = stats.frame_counts(tokens, None, columns=[], engine=engine, progress=False)
    return f"{len(counts.doc_ids)} documents × {len(counts.frames)} frames"


def _save_lengths(tokens: Any, path: Path) -> None:
    """Preprocessed tokens of every document of the three corpora (after the run: not measured)."""
    ids, counts = [], []
    for part in tokens:
        ids += list(part.doc_ids)
        counts.append(np.diff(part.doc_offsets).astype(np.int64))
    frame = pd.DataFrame({"doc_id": ids, "tokens": np.concatenate(counts)})
    tmp = path.with_suffix(".tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


# ------------------------------------------------------------------------------ the report
def _fit(x: list[float], y: list[float]) -> tuple[float, float]:
    """Least-squares line ``y = a + b x``: (a, b); one point gives the line through the origin."""
    if len(set(x)) < 2:
        return 0.0, y[0] / x[0]
    b, a = np.polyfit(np.asarray(x, dtype=float), np.asarray(y, dtype=float), 1)
    return float(a), float(b)


def _cpu(r: dict[str, Any]) -> float:
    return sum(r.get("worker_cpu_s", [])) + r["client_cpu_s"]


def _client_peak(r: dict[str, Any]) -> float:
    """The client's peak at the end of the analysis (after its last stage): the first run of a
    plan read the documents' token counts afterwards, which must not count."""
    staged = r.get("peak_mb_after_stage")
    return list(staged.values())[-1][0] if staged else r["client_peak_mb"]


def _scaling(points: list[dict[str, Any]]) -> list[str]:
    """The cost at 10⁹ tokens from the 2-worker runs (CPU of every process, wall, memory); nothing
    from a single size (a line through one point would be a guess)."""
    if len({p["tokens"] for p in points}) < 2:
        return []
    tokens = [p["tokens"] / 1e6 for p in points]
    cpu = [_cpu(p) for p in points]
    wall = [p["total_s"] for p in points]
    client = [_client_peak(p) for p in points]
    worker = [max(p.get("worker_peak_mb", [0])) for p in points]
    a_cpu, b_cpu = _fit(tokens, cpu)
    a_wall, b_wall = _fit(tokens, wall)
    a_cl, b_cl = _fit(tokens, client)
    a_wk, b_wk = _fit(tokens, worker)
    lda = np.mean([p["stages_s"]["lda"] for p in points])
    sample = max(p["lda_sample_documents"] for p in points)
    lines = [
        f"Fitted on {len(points)} two-worker run(s) at {', '.join(f'{t:.1f}' for t in tokens)} M preprocessed tokens "
        f"(least squares, y = a + b × M tokens): CPU of all processes a = {a_cpu:.0f} s, b = {b_cpu:.1f} s per M tokens; "
        f"wall a = {a_wall:.0f} s, b = {b_wall:.1f} s per M tokens; largest worker peak a = {a_wk:.0f} MB, "
        f"b = {b_wk:.2f} MB per M tokens; client (+ scheduler) peak a = {a_cl:.0f} MB, b = {b_cl:.2f} MB per M tokens.",
        "",
        "| workers | CPU hours at 10⁹ tokens | wall hours if the CPU splits evenly over the workers |",
        "|---|---|---|",
    ]
    cpu_h = (a_cpu + b_cpu * 1000) / 3600
    for n in (2, 8, 32, 128):
        lines.append(f"| {n} | {cpu_h:.1f} | {cpu_h / n:.2f} |")
    lines += ["", f"Memory if the measured slopes held up to 10⁹ tokens: largest worker {(a_wk + b_wk * 1000) / 1024:.1f} GB, "
              f"client (+ scheduler) {(a_cl + b_cl * 1000) / 1024:.1f} GB (over {min(tokens):.1f}–{max(tokens):.1f} M tokens "
              f"the largest worker peak went {min(worker):.0f}–{max(worker):.0f} MB and the client's "
              f"{min(client):.0f}–{max(client):.0f} MB)."]
    lines += ["", "Stage in which each peak was reached (the first stage after which it stands at its final value): "
              + "; ".join(_where(p) for p in points if p.get("peak_mb_after_stage")) + "."]
    vocab = ", ".join(f"{p['matrix_shape'][1]:,} terms at {p['tokens'] / 1e6:.1f} M tokens" for p in points)
    lines += ["", "What grows, and why. Workers: a worker holds one shard at a time; its peak is reached in preprocessing "
              "(one shard of 1,000 Assemblée sittings through the fast preprocessor, about 700 MB, a little more once "
              "a worker has processed many shards) or in the LDA stage on the worker that fits the sample (10,000 "
              f"documents whatever the corpus, but over a vocabulary that grows with it: {vocab}). The fold-in runs by "
              "blocks of at most 50,000 nonzero counts; in the earlier results (`bench_dask_words_earlier.md`) it "
              "folded a whole shard in at once, about 640 MB for one shard of Assemblée sittings at K = 50, which "
              "was most of the 1.4–1.9 GB worker peaks there. Here the vocabulary grows partly because the larger "
              "corpora replicate the same documents (a term of 3 documents is in 6 once the corpus is doubled, and "
              "passes min_df = 5); new text grows it too, more slowly than the corpus (Heaps' law), so the linear "
              "slope above is no more than a rough bound for the worker at 10⁹ tokens. "
              "Client: it holds the union of the shards' terms with their frequencies (dtm stage, read one shard's "
              "file at a time), the sample's rows and the fitted model (lda), and the joined per-document frame "
              "counts with the documents' metadata (frames): that last table is what grows with the number of "
              "documents; no matrix is gathered (`gather=False`)."]
    lines += ["", f"The sample LDA fit (K = {K}, {sample:,} documents) runs once on one worker whatever the corpus size "
              f"({lda:.0f} s for the whole LDA stage on average here, inside the wall times above); the other stages are maps "
              "over shards. These are extrapolations from a shared 2-core machine, not measurements at 10⁹ tokens."]
    return lines


def _where(r: dict[str, Any]) -> str:
    staged = r["peak_mb_after_stage"]
    worker = max(max(v[1:]) for v in staged.values())
    client = max(v[0] for v in staged.values())
    at_worker = next(k for k, v in staged.items() if max(v[1:]) >= worker)
    at_client = next(k for k, v in staged.items() if v[0] >= client)
    return (f"{r['step']} ({r['tokens'] / 1e6:.1f} M tokens): worker {worker:.0f} MB in {at_worker}, "
            f"client {client:.0f} MB in {at_client}")


def _size_rows(points: list[dict[str, Any]]) -> str:
    rows = [{"step": r["step"], "M tokens (preprocessed)": round(r["tokens"] / 1e6, 2),
             "M words": round(r["words"] / 1e6, 2) if r.get("words") else "—", "documents": r["documents"],
             "shards": r["shards"], "matrix": " × ".join(map(str, r["matrix_shape"])),
             "worker peak MB": " / ".join(map(str, r.get("worker_peak_mb", []))),
             "client + scheduler peak MB": _client_peak(r), "total s": r["total_s"], "CPU s (all)": round(_cpu(r), 1),
             "load avg": r["load_average"][0]} for r in points]
    return markdown_table(pd.DataFrame(rows))


def report(memory: list[dict[str, Any]], e2e: list[dict[str, Any]], e2e_words: int | None, plan: list[str],
           notes: list[str] | None = None) -> str:
    parts = ["# Dask engine: memory per process, end-to-end time, cost at 10⁹ tokens", __doc__.split("\n\n", 1)[1].strip(),
             f"Runs, in the order made: {' '.join(plan)}.", *(notes or [])]
    for r in e2e:
        r.setdefault("words", e2e_words)
    points = [r for r in memory + e2e if r["engine"] == "dask" and r["workers"] == 2]
    points.sort(key=lambda r: r["tokens"])
    if points:
        parts += ["## Peak memory of every process (2 workers), by size in preprocessed tokens", _size_rows(points)]
    if e2e:
        parts += [f"## End to end on the three corpora ({e2e[0]['tokens'] / 1e6:.1f} M preprocessed tokens, "
                  f"{(e2e_words or 0) / 1e6:.1f} M whitespace words, {e2e[0]['documents']} documents)",
                  _engines_table(e2e), f"Frame counts (default dictionary): {e2e[0]['frames']}."]
        parts += _speedups(e2e)
    staged = [r for r in memory + e2e if r.get("peak_mb_after_stage")]
    if staged:
        rows = [{"run": r["step"], **{k: " / ".join(map(str, v)) for k, v in r["peak_mb_after_stage"].items()}} for r in staged]
        parts += ["## Where the peaks are reached: peak MB of [client, worker 1, worker 2] after each stage "
                  "(a peak only rises)", markdown_table(pd.DataFrame(rows))]
    sizes = sorted({r["label"] for r in memory if not (r["engine"] == "dask" and r["workers"] == 2)})
    for size in sizes:
        same = [r for r in memory if r["label"] == size]
        parts += [f"## Engines side by side at {size:g} M (replicated corpus)", _engines_table(same)]
        parts += _speedups(same)
    scaling = _scaling(points)
    if scaling:
        parts += ["## Cost at 10⁹ tokens (extrapolated from the measured scaling, not measured)", "\n".join(scaling)]
    return "\n\n".join(parts) + "\n"


def _engines_table(rows: list[dict[str, Any]]) -> str:
    table = []
    for r in rows:
        table.append({"engine": "local" if r["engine"] == "local" else f"dask, {r['workers']} worker(s)",
                      **{f"{k} s": v for k, v in r["stages_s"].items()}, "total s": r["total_s"],
                      "worker peak MB": " / ".join(map(str, r.get("worker_peak_mb", []))) or "—",
                      "client peak MB": _client_peak(r),
                      "CPU s (all)": round(sum(r.get("worker_cpu_s", [])) + r["client_cpu_s"], 1),
                      "load avg": r["load_average"][0]})
    return markdown_table(pd.DataFrame(table))


def _speedups(rows: list[dict[str, Any]]) -> list[str]:
    by = {(r["engine"], r["workers"]): r for r in rows}
    out = []
    if ("dask", 1) in by and ("dask", 2) in by:
        one, two = by[("dask", 1)], by[("dask", 2)]
        out.append(f"Speed-up from 1 to 2 workers: {one['total_s'] / two['total_s']:.2f}× in wall time; CPU seconds of all "
                   f"processes {_cpu(one):.0f} (1 worker) and {_cpu(two):.0f} (2 workers). The machine's 2 cores were shared "
                   "with other jobs (see the load average): the wall-time speed-up understates what 2 free cores give.")
    if ("local", 0) in by and ("dask", 2) in by:
        local, two = by[("local", 0)], by[("dask", 2)]
        out.append(f"Local engine time / 2 workers' time: {local['total_s'] / two['total_s']:.2f}× (wall); CPU seconds "
                   f"{_cpu(local):.0f} (local) against {_cpu(two):.0f} (2 workers, every process).")
    return out


def _subprocess_run(shards: Path, work: Path, engine: str, workers: int, sample: int, lengths: Path | None) -> dict[str, Any]:
    """One run in a fresh Python process (its peak RSS is its own); the JSON it prints last."""
    cmd = [sys.executable, "-m", "benchmarks.bench_dask", "--run-one", str(shards), str(work), engine, str(workers), str(sample),
           str(lengths) if lengths is not None else "-"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load_lengths(path: Path) -> dict[str, int]:
    if not path.exists():
        raise SystemExit(f"{path} is missing: sizes in tokens need the tokens of every document, measured by an "
                         "end-to-end step (put e2e:dask:2 first in the plan) or use --unit words")
    frame = pd.read_parquet(path)
    return dict(zip(frame["doc_id"].astype(str), frame["tokens"].astype(int)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_dask", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default="/tmp/discourse-bench-dask", help="where shards and work files go (never the repository)")
    parser.add_argument("--plan", nargs="+", default=list(PLAN),
                        help="runs in order: mem:<M>[:local | :dask:<workers>] (default 2 workers) or e2e:local, e2e:dask:<workers> (the three corpora)")
    parser.add_argument("--unit", choices=("tokens", "words"), default="tokens",
                        help="what the M of mem:<M> counts: preprocessed tokens (measured per document by the first e2e run) "
                             "or whitespace words")
    parser.add_argument("--quick", action="store_true", help="0.2/0.4 M words and 0.3 M end to end: a smoke run")
    parser.add_argument("--out", default=None)
    parser.add_argument("--resume", action="store_true", help="keep the runs already in the result file and skip their steps")
    parser.add_argument("--report-only", action="store_true", help="write the report again from the result file")
    parser.add_argument("--run-one", nargs=6, metavar=("SHARDS", "WORK", "ENGINE", "WORKERS", "SAMPLE", "LENGTHS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        shards, work, engine, workers, sample, lengths = args.run_one
        print(json.dumps(run_one(Path(shards), Path(work), engine, int(workers), int(sample),
                                 None if lengths == "-" else Path(lengths))), flush=True)
        return 0
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    plan = list(QUICK_PLAN) if args.quick else args.plan
    unit = "words" if args.quick else args.unit
    per_shard = 25 if args.quick else DOCUMENTS_PER_SHARD
    sample = 100 if args.quick else SAMPLE_SIZE
    name = args.out or ("bench_dask_quick" if args.quick else "bench_dask")
    lengths_path = root / f"doc-tokens-{per_shard}.parquet"
    out = results_dir(__name__)
    out.mkdir(parents=True, exist_ok=True)
    memory: list[dict[str, Any]] = []
    e2e: list[dict[str, Any]] = []
    e2e_words = None
    notes: list[str] = []  # remarks on how the runs were made, kept in the result file
    done: set[str] = set()
    if args.report_only:
        previous = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        md = out / f"{name}.md"
        md.write_text(report(previous["memory"], previous["end_to_end"], previous["end_to_end_words"], previous["plan"],
                             previous.get("notes")), encoding="utf-8")
        record([md], argv)
        return 0
    if args.resume and (out / f"{name}.json").exists():
        previous = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        memory, e2e, e2e_words = previous["memory"], previous["end_to_end"], previous["end_to_end_words"]
        notes = previous.get("notes", [])
        done = {r["step"] for r in memory + e2e}
    for step in plan:
        if step in done:
            continue
        kind, _, rest = step.partition(":")
        size, _, engine_spec = rest.partition(":")
        engine, _, workers = (engine_spec or ("dask:2" if kind == "mem" else "")).partition(":")
        if kind == "mem":  # a replicated corpus of <size> M words or tokens
            label = float(size)
            lengths = _load_lengths(lengths_path) if unit == "tokens" else None
            folder = prepare(root, f"{label:g}M{'tok' if unit == 'tokens' else ''}", int(label * 1e6), per_shard, lengths)
            words = json.loads((folder / "size.json").read_text(encoding="utf-8"))["words"] \
                if (folder / "size.json").exists() else _words(folder)
        elif kind == "e2e":  # the three corpora once
            engine, _, workers = rest.partition(":")
            target = int(3e5) if args.quick else None
            folder = prepare(root, "e2e-quick" if args.quick else "e2e", target, per_shard)
            e2e_words = e2e_words or _words(folder)
            words = e2e_words
            label = round(e2e_words / 1e6, 1)
        else:
            parser.error(f"unknown step {step!r}")
        row = _subprocess_run(folder, root / "work", engine, int(workers or 0), sample,
                              lengths_path if kind == "e2e" else None)
        row["label"] = label
        row["step"] = step
        row["words"] = words
        (e2e if kind == "e2e" else memory).append(row)
        print(f"{step}: {row}", flush=True)
        # written after every run, so a run stopped at the deadline keeps what was measured
        md, js = out / f"{name}.md", out / f"{name}.json"
        md.write_text(report(memory, e2e, e2e_words, plan, notes), encoding="utf-8")
        js.write_text(json.dumps({"plan": plan, "unit": unit, "memory": memory, "end_to_end": e2e,
                                  "end_to_end_words": e2e_words, "notes": notes}, indent=1) + "\n", encoding="utf-8")
        record([md, js], argv)
    print((out / f"{name}.md").read_text(encoding="utf-8"))
    return 0


def _words(folder: Path) -> int:
    from discourse.shards import read_shards

    return sum(sum(len(t.split()) for t in corpus.texts) for corpus in read_shards(folder))
