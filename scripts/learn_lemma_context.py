"""Learn the fast backend's context table (``discourse/lang/fr/lemma_context.tsv``).

Two steps, both reproducible (fixed seed, shipped corpora only, never UD French-GSD):

1. ``annotate``: draw lines from the shipped corpora (Europarl 2000, Assemblée sittings,
   the marriage debate, the legal codes, the literary sentences; budgets in ``BUDGETS``),
   tag them with the *accurate* backend (spaCy ``fr_core_news_md`` on our own tokens), and
   write one token a line (form, UPOS, lemma; a blank line between sentences) to
   ``out/lemma_context/annotations-<corpus>.tsv.gz`` (not in the repository: it is rebuilt by
   this command; a corpus already annotated is skipped).
2. ``learn``: count, for every lowercase form, its coarse class (noun, verb, adjective, proper
   noun, other) in three contexts — the form alone, with the class of the previous word, and
   with the classes of both neighbours — and keep only what the fast backend needs: forms
   whose class changes their lemma (``marché``: noun → *marché*, verb → *marcher*), and
   capitalised forms that are most often proper nouns in the middle of a sentence. The
   result is a small TSV read by :mod:`discourse.lang.fr.lemmatize`.

Run: ``python scripts/learn_lemma_context.py annotate`` then ``python scripts/learn_lemma_context.py learn``.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "out" / "lemma_context"
ANNOTATIONS = OUT  # one annotations-<corpus>.tsv.gz per corpus
TABLE = ROOT / "discourse" / "lang" / "fr" / "lemma_context.tsv"
SEED = 12
MODEL = "fr_core_news_md"
# words drawn from each shipped corpus (whitespace words, whole lines)
BUDGETS = {
    "europarl-fr-2000": 100_000,
    "an-debats-2013-2018": 150_000,
    "an-mariage-pour-tous-2013": 100_000,
    "legi-codes": 80_000,
    "literary-fr-scale": 200_000,
}


def draw_lines(name: str, budget: int, rng: random.Random) -> list[str]:
    """Whole lines of randomly ordered documents of corpus ``name`` up to ``budget`` words."""
    from discourse import corpora

    corpus = corpora.load(name)
    order = list(range(len(corpus)))
    rng.shuffle(order)
    lines, n = [], 0
    for i in order:
        for line in corpus.texts[i].splitlines():
            w = len(line.split())
            if w < 3:
                continue
            lines.append(line)
            n += w
            if n >= budget:
                return lines
    return lines


def annotate(path: Path = ANNOTATIONS) -> None:
    from tqdm.auto import tqdm

    from discourse.preprocess import _default_config, _Pipeline

    pipe = _Pipeline(_default_config("accurate", model=MODEL, expressions=False))
    path.mkdir(parents=True, exist_ok=True)
    for name, budget in BUDGETS.items():
        target = path / f"annotations-{name}.tsv.gz"
        if target.exists():
            continue
        lines = draw_lines(name, budget, random.Random(f"{SEED}-{name}"))
        tmp = target.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            for k in tqdm(range(0, len(lines), 256), desc=name):
                for r in pipe.process_many(lines[k:k + 256]):
                    prev = None
                    for f, lm, p, s in zip(r.forms, r.lemmas, r.pos, r.sents):
                        if prev is not None and s != prev:
                            out.write("\n")
                        prev = s
                        out.write(f"{f}\t{p}\t{lm}\n")
                    out.write("\n")
        tmp.rename(target)


def read_sentences(path: Path = ANNOTATIONS):
    """Sentences of (form, UPOS, lemma) from every annotation file, corpus by corpus."""
    for name in BUDGETS:
        yield from _read(path / f"annotations-{name}.tsv.gz")


def _read(path: Path):
    sent = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent:
                    yield sent
                sent = []
                continue
            form, pos, lemma = line.split("\t")
            sent.append((form, pos, lemma))
    if sent:
        yield sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["annotate", "learn"])
    args = parser.parse_args()
    if args.step == "annotate":
        annotate()
    else:
        learn()


if __name__ == "__main__":
    main()
