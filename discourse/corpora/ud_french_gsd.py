"""Universal Dependencies French-GSD (dev and test): one document per gold sentence.

Each document's text is the sentence's ``# text =`` line. The gold annotation is kept in
list-valued metadata columns, enough to score a tokenizer and a lemmatizer:

``gold_tokens``
    surface tokens as they stand in the text; a multiword token such as "du" appears once.
``gold_words``
    syntactic words ("du" becomes "de", "le"); ``gold_lemmas`` and ``gold_upos`` align with them.
``gold_mwt``
    for each surface token, ``[first, end)``: the indices of its words in ``gold_words``
    (a plain token covers one word, "du" covers two).
``gold_spans``
    for each surface token, ``[start, end)`` character offsets into the text
    (``[-1, -1]`` where the token cannot be found in the text, which does not happen in GSD).
``gold_space_after``
    for each surface token, whether a space follows it (``SpaceAfter=No`` in CoNLL-U).

Empty nodes (ids like ``8.1``) are enhanced-dependency devices, not words, and are skipped.

>>> from discourse import corpora
>>> test = corpora.load("ud-french-gsd", split="test")          # doctest: +SKIP
>>> row = test.metadata.iloc[0]                                  # doctest: +SKIP
>>> row.gold_tokens[:3], row.gold_words[:3]                      # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from discourse.corpus import Corpus, CorpusError

FILES = {"dev": "fr_gsd-ud-dev.conllu", "test": "fr_gsd-ud-test.conllu"}
GOLD_COLUMNS = ("gold_tokens", "gold_words", "gold_lemmas", "gold_upos", "gold_mwt", "gold_spans", "gold_space_after")


def parse_conllu(text: str, source: str = "<string>") -> Iterator[dict[str, Any]]:
    """Yield one dict per sentence of a CoNLL-U document (``sent_id``, ``text`` and the gold columns).

    >>> block = "# sent_id = s1\\n# text = Il parle du pays.\\n" \\
    ...     "1\\tIl\\til\\tPRON\\t_\\t_\\t2\\tnsubj\\t_\\t_\\n2\\tparle\\tparler\\tVERB\\t_\\t_\\t0\\troot\\t_\\t_\\n" \\
    ...     "3-4\\tdu\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\n3\\tde\\tde\\tADP\\t_\\t_\\t5\\tcase\\t_\\t_\\n" \\
    ...     "4\\tle\\tle\\tDET\\t_\\t_\\t5\\tdet\\t_\\t_\\n5\\tpays\\tpays\\tNOUN\\t_\\t_\\t2\\tobl\\t_\\tSpaceAfter=No\\n" \\
    ...     "6\\t.\\t.\\tPUNCT\\t_\\t_\\t2\\tpunct\\t_\\t_\\n"
    >>> s = next(parse_conllu(block))
    >>> s["gold_tokens"], s["gold_words"], s["gold_mwt"][2]
    (['Il', 'parle', 'du', 'pays', '.'], ['Il', 'parle', 'de', 'le', 'pays', '.'], [2, 4])
    """
    sentence: dict[str, Any] = {}
    words: list[tuple[int, str, str, str, str]] = []  # (id, form, lemma, upos, misc)
    ranges: dict[int, tuple[int, str, str]] = {}  # first id -> (last id, form, misc)
    line_no = 0
    start_line = 1

    def flush() -> dict[str, Any] | None:
        if not words:
            return None
        return _assemble(sentence, words, ranges, source, start_line)

    for line_no, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            done = flush()
            if done is not None:
                yield done
            sentence, words, ranges = {}, [], {}
            start_line = line_no + 1
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition("=")
            if sep:
                sentence.setdefault(key.strip(), value.strip())
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise CorpusError(f"{source}, line {line_no}: {len(cols)} columns, CoNLL-U has 10")
        token_id = cols[0]
        if "." in token_id:
            continue
        if "-" in token_id:
            first, last = token_id.split("-")
            ranges[int(first)] = (int(last), cols[1], cols[9])
            continue
        words.append((int(token_id), cols[1], cols[2], cols[3], cols[9]))
    done = flush()
    if done is not None:
        yield done


def _space_after(misc: str) -> bool:
    return "SpaceAfter=No" not in misc.split("|")


def _assemble(sentence: dict[str, Any], words: list, ranges: dict, source: str, start_line: int) -> dict[str, Any]:
    sent_id = sentence.get("sent_id")
    text = sentence.get("text")
    if sent_id is None or text is None:
        raise CorpusError(f"{source}, sentence at line {start_line}: no '# sent_id' or '# text' comment")
    tokens: list[str] = []
    mwt: list[list[int]] = []
    space_after: list[bool] = []
    position = {wid: i for i, (wid, *_rest) in enumerate(words)}
    i = 0
    while i < len(words):
        wid = words[i][0]
        if wid in ranges:
            last, form, misc = ranges[wid]
            end = position[last] + 1
            tokens.append(form)
            mwt.append([i, end])
            space_after.append(_space_after(misc))
            i = end
        else:
            tokens.append(words[i][1])
            mwt.append([i, i + 1])
            space_after.append(_space_after(words[i][4]))
            i += 1
    spans: list[list[int]] = []
    cursor = 0
    for form in tokens:
        at = text.find(form, cursor)
        if at < 0:
            spans.append([-1, -1])
        else:
            spans.append([at, at + len(form)])
            cursor = at + len(form)
    return {
        "sent_id": sent_id,
        "text": text,
        "gold_tokens": tokens,
        "gold_words": [w[1] for w in words],
        "gold_lemmas": [w[2] for w in words],
        "gold_upos": [w[3] for w in words],
        "gold_mwt": mwt,
        "gold_spans": spans,
        "gold_space_after": space_after,
    }


def read_conllu(path: str | Path, split: str | None = None) -> Corpus:
    """Read any CoNLL-U file into a corpus: one document per sentence, id = ``sent_id``.

    ``split`` (e.g. "test") is stored in a ``split`` column when given.

    >>> corpus = read_conllu("fr_gsd-ud-test.conllu", split="test")  # doctest: +SKIP
    """
    path = Path(path)
    rows = list(parse_conllu(path.read_bytes().decode("utf-8"), source=str(path)))
    frame = pd.DataFrame(rows, columns=["sent_id", "text", *GOLD_COLUMNS])
    texts = frame.pop("text").tolist()
    frame.insert(0, "doc_id", frame["sent_id"])
    if split is not None:
        frame.insert(1, "split", split)
    return Corpus(texts, frame, name=path.stem, history=(f"read_conllu({path.name}) -> {len(texts)} sentences",))


def load(folder: str | Path, split: str | None = None) -> Corpus:
    """Load the French-GSD dev and test sentences (``split="dev"`` or ``"test"`` for one of them)."""
    folder = Path(folder)
    if split is not None and split not in FILES:
        raise ValueError(f"ud-french-gsd: unknown split {split!r}; use one of {sorted(FILES)} or None for both")
    splits = [split] if split else list(FILES)
    parts = [read_conllu(folder / FILES[s], split=s) for s in splits]
    corpus = parts[0]
    for part in parts[1:]:
        corpus = corpus.concat(part)
    label = f"split={split!r}" if split else "dev+test"
    return Corpus(
        corpus.texts,
        corpus.metadata,
        name="ud-french-gsd",
        history=(f"corpora.load('ud-french-gsd', {label}) from {folder} -> {len(corpus)} sentences",),
    )
