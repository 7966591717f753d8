"""What the fast backend's word-class tagger costs and brings.

Run: ``python -m benchmarks.bench_lemma_tagger`` (``--rounds``, ``--docs``). Writes
``benchmarks/bench_lemma_tagger/results/bench_lemma_tagger.md`` and ``.json``.

Two versions of the *same* fast backend, differing only in the tagger
(:mod:`discourse.lang.fr.tagger`): with it (the default), and without it (the lemmatiser then
falls back to the learnt context table ``lemma_context.tsv`` for ambiguous forms, as before the
tagger existed).

- Cost: the whole fast pipeline on the first ``--docs`` Assemblée sittings, the two versions
  alternated ``--rounds`` times in one process (the order flipped every round), a new pipeline
  (cold lemma and tagger caches) each time; CPU time of the process (``time.process_time``),
  the ratio of the medians.
- Gain: content-word lemma accuracy on UD French-GSD dev and test (the measure of
  ``benchmarks.eval_gsd``); the tagger was trained on the shipped corpora tagged by the
  accurate backend, never on GSD.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from benchmarks.common import record

RESULTS = Path(__file__).parent / "results"


@contextmanager
def tagger(on: bool) -> Iterator[None]:
    """The fast backend with (``on``) or without its tagger, for the pipelines built inside."""
    from discourse import preprocess
    from discourse.lang.fr import tagger as module

    real = module.lemma_tagger
    module.lemma_tagger = real if on else (lambda *args, **kwargs: None)
    preprocess._PIPELINES.clear()
    try:
        yield
    finally:
        module.lemma_tagger = real
        preprocess._PIPELINES.clear()


def cost(n_docs: int, rounds: int) -> dict[str, Any]:
    from benchmarks.bench_preprocess import load_sittings
    from discourse.lang.fr.tagger import lemma_tagger
    from discourse.preprocess import Preprocessor, _shared_pipeline

    ids, texts = load_sittings()
    docs = list(zip(ids[:n_docs], texts[:n_docs]))
    words = sum(len(t.split()) for _, t in docs)
    lemma_tagger()  # the weights are read once per process, outside the timing
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for r in range(rounds):
        for on in ((True, False) if r % 2 == 0 else (False, True)):
            with tagger(on):
                pre = Preprocessor("fast", stop_words=None, remove_punctuation=False, min_length=None, n_jobs=1, progress=False)
                _shared_pipeline(pre._pipeline_config()).warm()
                c0 = time.process_time()
                pre.transform(docs)
                cpu[on].append(time.process_time() - c0)
    with_t, without = statistics.median(cpu[True]), statistics.median(cpu[False])
    return {"documents": len(docs), "words": words, "rounds": rounds, "cpu_with_tagger": cpu[True], "cpu_without_tagger": cpu[False],
            "median_with": with_t, "median_without": without, "extra_time": with_t / without - 1, "load_average": os.getloadavg()[0]}


def gain() -> dict[str, dict[str, float]]:
    from benchmarks.eval_gsd import gold_of, predict_discourse, score
    from discourse import corpora

    out = {}
    for split in ("dev", "test"):
        gold = gold_of(corpora.load("ud-french-gsd", split=split))
        texts = [g["text"] for g in gold]
        row = {}
        for on in (True, False):
            with tagger(on):
                row["with" if on else "without"] = score(gold, predict_discourse(texts, "fast"))["lemma_acc_content"]
        out[split] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30, help="Assemblée sittings timed")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    c = cost(args.docs, args.rounds)
    g = gain()
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [
        "# The fast backend's word-class tagger: cost and gain",
        "",
        f"Cost: the whole fast pipeline on the first {c['documents']} Assemblée sittings ({c['words']} words), with and without "
        f"the tagger, alternated {c['rounds']} times in one process, cold caches each run; CPU seconds with: "
        + ", ".join(f"{x:.3f}" for x in c["cpu_with_tagger"]) + "; without: " + ", ".join(f"{x:.3f}" for x in c["cpu_without_tagger"])
        + f". **The tagger adds {100 * c['extra_time']:.0f} % to the fast backend's time** (ratio of the medians). "
        f"Load average at the end: {c['load_average']:.1f}.",
        "",
        "Gain: content-word lemma accuracy on UD French-GSD (NOUN, PROPN, ADJ, VERB; strict; the measure of `benchmarks.eval_gsd`):",
        "",
        "| split | with the tagger | without (context table) |",
        "|---|---|---|",
        *(f"| {s} | {100 * r['with']:.2f} % | {100 * r['without']:.2f} % |" for s, r in g.items()),
    ]
    (RESULTS / "bench_lemma_tagger.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "bench_lemma_tagger.json").write_text(json.dumps({"cost": c, "gain": g}, indent=2), encoding="utf-8")
    record([RESULTS / "bench_lemma_tagger.json", RESULTS / "bench_lemma_tagger.md"])
    print("\n".join(lines))
