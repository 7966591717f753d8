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
3. ``tagger``: train the fast lemmatiser's word-class tagger (:mod:`discourse.lang.fr.tagger`,
   an averaged perceptron) on the tokens whose class changes their lemma, after reporting its
   accuracy on a held-out tenth of the sentences (seeded); writes ``lemma_tagger.tsv.gz``
   (weights) and ``lemma_tagger_forms.tsv`` (the forms it reads, settled ones with their class).

Run: ``python scripts/learn_lemma_context.py annotate``, then ``... learn``, then ``... tagger``.
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

    pipe = _Pipeline(_default_config("accurate", spacy_model=MODEL, expressions=False))
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
        f = path / f"annotations-{name}.tsv.gz"
        if not f.exists():
            print(f"missing {f} (run the annotate step): skipped", file=sys.stderr)
            continue
        yield from _read(f)


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


MIN_WORD = 20  # occurrences for a word to get its own context class
MIN_COUNT = 3  # occurrences of a form (in a context) for an entry
MIN_SHARE = 0.6  # share of the chosen lemma in that context


def _coarse(upos: str) -> str:
    return upos if upos in ("NOUN", "VERB", "ADJ", "PROPN") else ("VERB" if upos == "AUX" else "O")


def learn(path: Path = ANNOTATIONS, table: Path = TABLE) -> None:
    from discourse.lang.fr.lemmatize import _TITLES, FastLemmatizer, _known, pos_lemma
    from discourse.lang.fr.tagger import context_class

    sentences = list(read_sentences(path))
    n_tokens = sum(len(s) for s in sentences)
    # 1. the context class of frequent words: their most frequent UPOS
    by_word: dict[str, Counter] = defaultdict(Counter)
    for sent in sentences:
        for form, pos, _lemma in sent:
            by_word[form.lower()][pos] += 1
    classes = {w: c.most_common(1)[0][0] for w, c in by_word.items() if sum(c.values()) >= MIN_WORD}

    def cls_of(form: str) -> str:
        return context_class(form, classes)

    # 2. classes of each form, alone and in context; capitalised words inside a sentence
    one: dict[str, Counter] = defaultdict(Counter)
    two: dict[tuple[str, str], Counter] = defaultdict(Counter)
    three: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    caps: dict[str, Counter] = defaultdict(Counter)
    for sent in sentences:
        ctx = ["<S>"] + [cls_of(f) for f, _p, _l in sent] + ["</S>"]
        for i, (form, pos, _lemma) in enumerate(sent):
            if form[:1].isupper():
                if i == 0 or not form[1:].islower():
                    continue
                prev = sent[i - 1][0]
                # after a title or a name the lemmatiser keeps a name anyway (« M. Blanc »)
                if _known(form.lower()) and prev not in _TITLES and not prev[:1].isupper():
                    caps[form]["PROPN" if pos == "PROPN" else "common"] += 1
                continue
            if not form.isalpha() and "-" not in form:
                continue
            c = _coarse(pos)
            one[form][c] += 1
            two[form, ctx[i]][c] += 1
            three[form, ctx[i], ctx[i + 2]][c] += 1

    plain = FastLemmatizer(context=False)

    def choose(form: str, counts: Counter) -> tuple[str, str, float, int]:
        """The class whose lemma is most frequent (classes giving one lemma pooled)."""
        by_lemma: Counter = Counter()
        rep: dict[str, str] = {}
        base = plain.raw(form)
        for c, n in counts.most_common():
            lm = pos_lemma(form, c, base) if c != "O" and c != "PROPN" else plain.lemma(form)
            by_lemma[lm] += n
            rep.setdefault(lm, c)
        lm, n = by_lemma.most_common(1)[0]
        total = sum(counts.values())
        return rep[lm], lm, n / total, total

    lines = []
    n_forms = 0
    for form, counts in sorted(one.items()):
        if sum(counts.values()) < MIN_COUNT:
            continue
        base = plain.raw(form)
        lemmas = {pos_lemma(form, c, base) if c not in ("O", "PROPN") else plain.lemma(form) for c, n in counts.items() if n >= 2}
        cls, lm, share, total = choose(form, counts)
        if len(lemmas | {plain.lemma(form)}) < 2:
            continue  # every reading gives the same lemma: nothing to decide
        n_forms += 1
        lines.append(f"form\t{form}\t{cls}\t{total}")
    keep = {l.split("\t")[1]: l.split("\t")[2] for l in lines}
    for (form, pc), counts in sorted(two.items()):
        if form not in keep or sum(counts.values()) < MIN_COUNT:
            continue
        cls, lm, share, total = choose(form, counts)
        if share >= MIN_SHARE and cls != keep[form] and lm != choose(form, Counter({keep[form]: 1}))[1]:
            lines.append(f"prev\t{form}\t{pc}\t{cls}\t{total}")
    prev_choice = {(l.split("\t")[1], l.split("\t")[2]): l.split("\t")[3] for l in lines if l.startswith("prev")}
    for (form, pc, nc), counts in sorted(three.items()):
        if form not in keep or sum(counts.values()) < MIN_COUNT:
            continue
        cls, lm, share, total = choose(form, counts)
        backoff = prev_choice.get((form, pc), keep[form])
        if share >= MIN_SHARE and lm != choose(form, Counter({backoff: 1}))[1]:
            lines.append(f"both\t{form}\t{pc}\t{nc}\t{cls}\t{total}")
    # class-level rows for every ambiguous form: its usual class and both neighbours' classes
    # (« la commune de » → noun even where « commune » is mostly an adjective)
    generic: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for (form, pc, nc), counts in three.items():
        if form in keep:
            generic[keep[form], pc, nc].update(counts)
            generic[keep[form], pc, "*"].update(counts)  # backoff: the previous word alone
    for (dflt, pc, nc), counts in sorted(generic.items()):
        total = sum(counts.values())
        cls, n = counts.most_common(1)[0]
        if total >= 20 and cls != dflt and n / total >= MIN_SHARE:
            lines.append(f"generic\t{dflt}\t{pc}\t{nc}\t{cls}\t{total}")
    n_caps = 0
    for form, counts in sorted(caps.items()):
        total = sum(counts.values())
        if total >= MIN_COUNT and counts["common"] / total > 0.5:
            lines.append(f"common\t{form}\t{total}")
            n_caps += 1
    class_lines = [f"class\t{w}\t{classes[w]}" for w in sorted(classes)]
    header = [
        "# Context table of the fast lemmatiser (discourse/lang/fr/lemmatize.py). Generated: do not edit by hand.",
        "# Made by: python scripts/learn_lemma_context.py annotate && python scripts/learn_lemma_context.py learn",
        f"# From {n_tokens} tokens of the shipped corpora ({', '.join(f'{k} {v} words' for k, v in BUDGETS.items())}; lines drawn",
        f"# with seed {SEED}) tagged by the accurate backend (spaCy {MODEL} on our tokens). Never UD French-GSD.",
        "# Rows: class WORD UPOS (the context class of a frequent neighbour word);",
        "#       form FORM CLASS N (the reading of an ambiguous lowercase form, N occurrences);",
        "#       prev FORM PREVCLASS CLASS N and both FORM PREVCLASS NEXTCLASS CLASS N (readings that differ in that context);",
        "#       generic CLASS PREVCLASS NEXTCLASS CLASS N (for any ambiguous form of that usual class; NEXTCLASS * = any);",
        "#       common FORM N (a capitalised word that is mostly a common word, not a name, inside a sentence",
        "#       and not after a title or a capitalised word).",
        f"# {n_forms} ambiguous forms, {n_caps} capitalised common words; min count {MIN_COUNT}, min share {MIN_SHARE}.",
    ]
    table.write_text("\n".join(header + class_lines + lines) + "\n", encoding="utf-8")
    print(f"{table}: {len(class_lines) + len(lines)} rows ({n_forms} forms, {n_caps} capitalised common words)")


def tagger_examples(sentences, lem, classes: dict[str, str]):
    """``(features, coarse class)`` for the tokens whose class the fast lemmatiser asks the
    tagger about (:meth:`FastLemmatizer.needs_tagger`)."""
    from discourse.lang.fr.tagger import features

    out = []
    for sent in sentences:
        forms = [f for f, _p, _l in sent]
        n = len(forms)
        for i, (form, pos, _lemma) in enumerate(sent):
            if lem.needs_tagger(form, i == 0):
                out.append((features(forms, i, 0, n, classes), _coarse(pos)))
    return out


def learn_tagger(path: Path = ANNOTATIONS, n_iter: int = 5, held_out: float = 0.1, check: bool = True) -> None:
    """Train the averaged perceptron (``discourse/lang/fr/lemma_tagger.tsv.gz``) on the
    annotations; report its accuracy on a held-out tenth of the sentences first (seeded)."""
    from discourse.lang.fr.lemmatize import FastLemmatizer, context_table, is_finite_verb
    from discourse.lang.fr.tagger import CLASSES, TAGGER_PATH, PerceptronTagger

    classes = context_table().classes
    lem = FastLemmatizer(context=False)
    sentences = list(read_sentences(path))
    rng = random.Random(SEED)
    test_ids = set(rng.sample(range(len(sentences)), int(held_out * len(sentences))))
    train = tagger_examples([s for k, s in enumerate(sentences) if k not in test_ids], lem, classes)
    test = tagger_examples([s for k, s in enumerate(sentences) if k in test_ids], lem, classes)
    print(f"{len(train)} training and {len(test)} held-out examples; classes {Counter(c for _f, c in train)}")
    base = Counter(c for _f, c in train)
    if check:
        tagger = PerceptronTagger.train(train, classes, n_iter=n_iter, seed=SEED)
        ok = sum(CLASSES[max(range(len(CLASSES)), key=tagger.scores(f).__getitem__)] == c for f, c in test)
        print(f"held-out accuracy {ok / len(test):.4f} ({len(tagger.weights)} features)")
    tagger = PerceptronTagger.train(train + test, classes, n_iter=n_iter, seed=SEED, min_weight=0.05)
    # lowercase forms to tag: the ambiguous ones seen in training; a form with one class in 95 %
    # of at least 10 examples is settled (not tagged: « est », « sont »), and so is a
    # capitalised word (« Gouvernement » → NOUN; the others are tagged)
    by_form: dict[str, Counter] = defaultdict(Counter)
    for feats, c in train + test:
        w, sh = feats[1][2:], feats[6]
        if sh in ("sh=l", "sh=li"):
            by_form[w][c] += 1
        elif sh == "sh=C":
            by_form[w[:1].upper() + w[1:]][c] += 1
    for w, counts in by_form.items():
        total = sum(counts.values())
        c, k = counts.most_common(1)[0]
        if w.islower() and is_finite_verb(w, lem.raw(w)):
            tagger.forms[w] = "VERB"  # only a verb can be « allons », « comprends »: nothing to decide
        elif total >= 10 and k / total >= 0.95:
            tagger.forms[w] = c
        elif w.islower():
            tagger.forms[w] = "*"
    tagger.save(TAGGER_PATH)
    print(f"{TAGGER_PATH}: {len(tagger.weights)} features; majority class share {max(base.values()) / sum(base.values()):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["annotate", "learn", "tagger"])
    parser.add_argument("--no-check", action="store_true", help="tagger: skip the held-out accuracy (one training, not two)")
    args = parser.parse_args()
    if args.step == "annotate":
        annotate()
    elif args.step == "learn":
        learn()
    else:
        learn_tagger(check=not args.no_check)


if __name__ == "__main__":
    main()
