"""Topic models at equal quality: how long our default LDA needs to reach gensim's coherence.

    python -m benchmarks.bench_topics_iso                  # an-debats, K = 20 and 50
    python -m benchmarks.bench_topics_iso --corpora legi-codes --k 20

``bench_topics`` gives every engine a fixed budget (200 Gibbs sweeps, 2 gensim passes), so a
fast engine with poor topics and a slower one with good topics are hard to compare. Here raw
gensim LdaMulticore (2 and 5 passes) sets the quality bar, and our default LDA (tomotopy, one
worker) is fitted with increasing numbers of sweeps; the report gives, for each K, the
cheapest of our runs whose c_npmi is at least LdaMulticore's best, and the time ratio.
Same matrix, same tokens and same coherence code as ``bench_topics`` (same process).
Writes benchmarks/results/topics_iso.md and .json.
"""

from __future__ import annotations

import argparse
import json

import pandas as pd

from benchmarks.bench_topics import RESULTS, build, raw_gensim, reference_tokens, timed_fit
from discourse.topics import LDA, coherence

SWEEPS = (10, 20, 50, 100, 200)
PASSES = (2, 5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="*", default=["an-debats"])
    parser.add_argument("--k", nargs="*", type=int, default=[20, 50])
    parser.add_argument("--report-only", action="store_true", help="rewrite the .md from the .json of the last run")
    args = parser.parse_args(argv)
    if args.report_only:
        report(pd.DataFrame(json.loads((RESULTS / "topics_iso.json").read_text())), argv)
        return
    import gensim.models  # noqa: F401  (imports outside the timings)
    import tomotopy  # noqa: F401

    rows = []
    for corpus in args.corpora:
        tokens, dtm = build(corpus, quick=False)
        ref = reference_tokens(tokens, dtm)
        for k in args.k:
            runs = [(f"raw gensim LdaMulticore, {p} passes", lambda p=p: raw_gensim(dtm, k, p, 0, multicore=True)) for p in PASSES]
            runs += [(f"ours LDA tomotopy, {s} sweeps", lambda s=s: LDA(k, n_iter=s, random_state=0).fit(dtm)) for s in SWEEPS]
            for name, fit in runs:
                _, topics, seconds, peak_mb = timed_fit(fit)
                row = {"corpus": corpus, "k": k, "method": name, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1),
                       "c_npmi": round(float(coherence(topics, ref, "c_npmi").mean()), 4)}
                print(row, flush=True)
                rows.append(row)
                (RESULTS / "topics_iso.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    report(pd.DataFrame(rows), argv)


def report(frame: pd.DataFrame, argv: list[str] | None) -> None:
    """Write topics_iso.md: every run, then the cheapest of ours at LdaMulticore's best c_npmi."""
    lines = ["# Topic models at equal quality", "", __doc__.split("\n\n")[2].replace("\n", " "), "",
             "Command: `python -m benchmarks.bench_topics_iso`", ""]
    for (corpus, k), part in frame.groupby(["corpus", "k"], sort=False):
        bar = part[part.method.str.startswith("raw")]
        best = bar.loc[bar.c_npmi.idxmax()]
        ours = part[part.method.str.startswith("ours") & (part.c_npmi >= best.c_npmi)]
        lines += [f"## {corpus}, K = {k}", "", "| method | seconds | peak_mb | c_npmi |", "|---|---|---|---|"]
        lines += [f"| {r.method} | {r.seconds} | {r.peak_mb} | {r.c_npmi} |" for r in part.itertuples()]
        if len(ours):
            cheapest = ours.loc[ours.seconds.idxmin()]
            bar_time = bar[bar.c_npmi >= best.c_npmi].seconds.min()
            lines += ["", f"Cheapest of ours at c_npmi ≥ {best.c_npmi} ({best.method}, {best.seconds} s): {cheapest.method}, "
                      f"{cheapest.seconds} s, c_npmi {cheapest.c_npmi}; LdaMulticore time / ours = {bar_time / cheapest.seconds:.1f}.", ""]
        else:
            lines += ["", f"None of our runs reached c_npmi {best.c_npmi}.", ""]
    (RESULTS / "topics_iso.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
