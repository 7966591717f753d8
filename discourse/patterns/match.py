"""The matching engine: find every pattern of a frame dictionary in a :class:`~discourse.tokens.Tokens`.

How it works (and why it is fast)
---------------------------------
Patterns are compiled once against the *vocabularies* of the tokens (lemma and form types),
not against the tokens themselves:

- every vocabulary entry gets a bit mask saying which frames it matches as a single token
  (a word, a wildcard prefix, or a joined expression such as ``"état de droit"``), plus one
  bit saying it may start a multiword pattern. Looking the masks up for all tokens is one
  NumPy gather per attribute, so counting runs at NumPy speed whatever the number of patterns;
- multiword patterns are checked only where their first word occurs, part by part, on the
  integer codes of the following tokens (never across a document boundary).

A token matches a word of a pattern when its lemma *or* its form does (so ``"droits
fondamentaux"`` matches the forms of an unjoined sequence whose lemmas read ``"droit
fondamental"``). A joined expression token also matches a pattern found *inside* it (a token
``"lutte contre le terrorisme"`` matches ``"terroris*"``), so counts do not depend on whether
expressions were joined.

Within one frame a stretch of text counts once: overlapping matches are resolved leftmost
first, then longest, then by dictionary order (a whole-token match beats a match inside a
joined expression). Frames are counted independently of each other.

Example
-------
>>> from discourse.tokens import Tokens
>>> from discourse.patterns.dictionary import FrameDictionary
>>> toks = Tokens.from_lists([["le", "respect", "de", "l'", "état", "de", "droit"]])
>>> d = FrameDictionary.from_patterns(["état de droit", "droit"], frame="rule_of_law")
>>> match_frames(toks, d)[["frame", "pattern", "text"]].values.tolist()
[['rule_of_law', 'état de droit', 'état de droit']]
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from discourse.patterns.dictionary import Exclusion, FrameDictionary, Pattern, normalize_text, split_words
from discourse.lang.fr.punctuation import APOSTROPHES
from discourse.tokens import Tokens

__all__ = ["CompiledDictionary", "Hits", "compile_dictionary", "find_hits", "match_frames", "document_frame_counts",
           "document_hit_counts", "exclusion_report", "unmatchable_patterns", "dictionary_rules", "rule_report"]

_ATTRIBUTES = ("lemma", "form")
_NONE = np.iinfo(np.int32).max  # rank of "no match"


class _VocabIndex:
    """Normalised views of one vocabulary, to find the entries a pattern word matches.

    Lookups are binary searches in sorted lists (exact words and wildcard prefixes alike).
    """

    def __init__(self, vocab: Sequence[str]) -> None:
        self.size = len(vocab)
        self.norm = _normalize_all(vocab)
        folded = _casefold_all(self.norm)
        order = sorted(range(self.size), key=folded.__getitem__)
        self.sorted_folded = [folded[i] for i in order]
        self.sorted_folded_codes = np.asarray(order, dtype=np.int64)
        # Entries made of several words (joined expressions): few, checked word by word.
        self.multiword: list[tuple[int, tuple[str, ...], str]] = []
        for i in [i for i, n in enumerate(self.norm) if " " in n or "'" in n]:
            words = split_words(self.norm[i])
            if len(words) > 1:
                self.multiword.append((i, words, folded[i]))

    def word_codes(self, word: str, case_sensitive: bool) -> np.ndarray:
        """Codes of the entries equal to one pattern word (a trailing ``*`` makes it a prefix)."""
        key = word.casefold()
        if key.endswith("*"):
            key = key[:-1]
            lo = bisect.bisect_left(self.sorted_folded, key)
            hi = bisect.bisect_left(self.sorted_folded, key + "\U0010ffff", lo)
        else:
            lo = bisect.bisect_left(self.sorted_folded, key)
            hi = bisect.bisect_right(self.sorted_folded, key, lo)
        codes = self.sorted_folded_codes[lo:hi]
        if case_sensitive:  # the case-insensitive candidates, then the exact spelling
            if word.endswith("*"):
                codes = codes[[self.norm[c].startswith(word[:-1]) for c in codes.tolist()]] if len(codes) else codes
            else:
                codes = codes[[self.norm[c] == word for c in codes.tolist()]] if len(codes) else codes
        return codes

    def word_mask(self, word: str, case_sensitive: bool) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.word_codes(word, case_sensitive)] = True
        return mask


# Whitespace that normalize_text would change: runs of spaces, other spaces, spaces at an edge.
_ODD_SPACE = re.compile(r"[^\S\n]{2,}|[^\S \n]|^ | $", re.MULTILINE)


def _normalize_all(vocab: Sequence[str]) -> list[str]:
    """:func:`normalize_text` of every entry, done on one joined string (entries rarely need it)."""
    big = "\n".join(vocab)
    if big.count("\n") != max(len(vocab) - 1, 0):  # an entry holds a line break: one by one
        return [normalize_text(v) for v in vocab]
    big = unicodedata.normalize("NFC", big)
    for quote in APOSTROPHES:
        if quote in big:
            big = big.replace(quote, "'")
    out = big.split("\n") if vocab else []
    # collapse whitespace only where there is some to collapse (usually nowhere: one regex search)
    if _ODD_SPACE.search(big):
        for i in [i for i, v in enumerate(out) if "  " in v or not v.isprintable() or v[:1] == " " or v[-1:] == " "]:
            out[i] = " ".join(out[i].split())
    return out


def _form_only(pattern: Pattern, attribute: str, attributes: Sequence[str]) -> bool:
    """Case-sensitive patterns are matched on the text as written, not on lemmas: the
    preprocessing gives expressions a canonical lemma ("état islamique" → "État islamique"),
    which would defeat the case rule."""
    return pattern.case_sensitive and attribute == "lemma" and "form" in attributes


def _casefold_all(values: list[str]) -> list[str]:
    return "\n".join(values).casefold().split("\n") if values else []


def _words_match(pattern: Sequence[str], words: Sequence[str], case_sensitive: bool) -> bool:
    for p, w in zip(pattern, words):
        if not case_sensitive:
            p, w = p.casefold(), w.casefold()
        if p.endswith("*"):
            if not w.startswith(p[:-1]):
                return False
        elif p != w:
            return False
    return True


def _inside(pattern: Sequence[str], words: Sequence[str], case_sensitive: bool) -> bool:
    k = len(pattern)
    return any(_words_match(pattern, words[i : i + k], case_sensitive) for i in range(len(words) - k + 1))


@dataclass
class _Multi:
    rank: int
    frame: int
    units: tuple[tuple[str, ...], ...]  # one unit per token: a word, or the words of a joined expression
    parts: list[dict[str, np.ndarray]]  # per unit, per attribute: boolean over the vocabulary
    anchor: int  # the first unit that occurs in the vocabularies (matching starts there)
    case_sensitive: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for u in self.units for w in u)


# A multiword pattern is matched in every way the preprocessing may have cut it into tokens;
# beyond this many ways (never seen in practice), the longest joined spans are tried first.
_MAX_SEGMENTATIONS = 32


def _segmentations(n: int, spans: set[tuple[int, int]]) -> list[tuple[tuple[int, int], ...]]:
    """Ways to cut words 0..n into units: single words or the given (i, j) spans of joined expressions."""
    out: list[tuple[tuple[int, int], ...]] = []

    def walk(i: int, acc: tuple[tuple[int, int], ...]) -> None:
        if len(out) >= _MAX_SEGMENTATIONS:
            return
        if i == n:
            out.append(acc)
            return
        for j in sorted((j for (a, j) in spans if a == i), reverse=True):
            walk(j, acc + ((i, j),))
        walk(i + 1, acc + ((i, i + 1),))

    walk(0, ())
    return out


def patterns_in_priority(dictionary: FrameDictionary) -> list[Pattern]:
    """The patterns of a dictionary in matching priority: longest first, then dictionary order."""
    ordered = sorted(enumerate(dictionary.all_patterns()), key=lambda ip: (-len(ip[1].words), ip[0]))
    return [p for _, p in ordered]


def dictionary_rules(dictionary: FrameDictionary) -> list[tuple[Pattern, Exclusion]]:
    """Every (pattern, exclusion or context rule) pair, in the order of ``Hits.rules`` (read from
    the dictionary alone, so counts made on parts of a corpus share it)."""
    return [(p, x) for p in patterns_in_priority(dictionary) for x in p.exclusions]


class CompiledDictionary:
    """A frame dictionary compiled against the vocabularies of one :class:`Tokens`.

    Build it with :func:`compile_dictionary` (cached per tokens object and dictionary).
    ``patterns`` lists the patterns in priority order (longest first, then dictionary order);
    a rank ``r`` encodes ``kind * n_patterns + index`` with kind 0 for a whole-token match
    and 1 for a match inside a joined expression.
    """

    def __init__(self, dictionary: FrameDictionary, tokens: Tokens, attributes: Sequence[str] = _ATTRIBUTES) -> None:
        self.dictionary = dictionary
        self.attributes = tuple(attributes)
        for a in self.attributes:
            if a not in _ATTRIBUTES:
                raise ValueError(f"patterns are matched on 'lemma' and/or 'form', not {a!r}")
        self.frames = dictionary.frame_names
        n_frames = len(self.frames)
        frame_index = {f: i for i, f in enumerate(self.frames)}
        self.patterns: list[Pattern] = patterns_in_priority(dictionary)
        n_pat = len(self.patterns)
        self.n_patterns = n_pat
        self.multi_bit = n_frames  # the extra bit: "may start a multiword pattern"
        n_bits = n_frames + 1
        self.dtype = next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if np.iinfo(t).bits >= n_bits)
        if n_bits > 64:
            raise ValueError("at most 63 frames can be matched at once; select fewer frames")
        self.bits: dict[str, np.ndarray] = {}
        self.rank: dict[str, np.ndarray] = {}
        self.multi: list[_Multi] = []
        indexes = {a: _vocab_index(tokens, a) for a in self.attributes}
        for a, index in indexes.items():
            bits = np.zeros(index.size, dtype=self.dtype)
            rank = np.full((n_frames, index.size), _NONE, dtype=np.int64)
            for q, p in enumerate(self.patterns):
                if _form_only(p, a, self.attributes):
                    continue
                f = frame_index[p.frame]
                words = p.words
                if len(words) == 1:
                    codes = index.word_codes(words[0], p.case_sensitive)
                    np.minimum.at(rank[f], codes, q)
                # joined expressions: the whole entry is the pattern, or contains it
                stem = min((w.rstrip("*").casefold() for w in words), key=len, default="")
                for code, ewords, folded in index.multiword:
                    if stem not in folded:
                        continue  # cheap substring test before the word-by-word comparison
                    if len(ewords) == len(words) and _words_match(words, ewords, p.case_sensitive):
                        rank[f, code] = min(rank[f, code], q)
                    elif len(ewords) > len(words) and _inside(words, ewords, p.case_sensitive):
                        rank[f, code] = min(rank[f, code], n_pat + q)
            for f in range(n_frames):
                bits[rank[f] != _NONE] |= self.dtype(1 << f)
            self.bits[a] = bits
            self.rank[a] = rank
        # Tokens filtered after tokenisation (stop words, punctuation...) no longer hold every
        # word of an expression: multiword patterns are then aligned against the original text
        # between the remaining tokens ("état [de] droit"). Without filtering, they are matched
        # on consecutive tokens, fully vectorised.
        removed = int(pd.to_numeric(tokens.audit["removed"], errors="coerce").fillna(0).sum()) if len(tokens.audit) else 0
        self.gapped = tokens.texts is not None and removed > 0
        # vocabularies may keep entries of filtered tokens: presence is read from the codes
        self._occurs = {a: np.bincount(tokens.codes(a), minlength=indexes[a].size)[: indexes[a].size] > 0 for a in self.attributes}
        for q, p in enumerate(self.patterns):
            words = p.words
            if len(words) < 2:
                continue
            # Parts of the pattern that the preprocessing joined into one token ("état de droit"
            # inside "respect de l'état de droit"): a unit of their own, matched on that token.
            spans: dict[tuple[int, int], dict[str, np.ndarray]] = {}
            for a, index in indexes.items():
                if _form_only(p, a, self.attributes):
                    continue
                for code, ewords, _ in index.multiword:
                    k = len(ewords)
                    if k >= len(words):
                        continue
                    for i in range(len(words) - k + 1):
                        if _words_match(words[i : i + k], ewords, p.case_sensitive):
                            span = spans.setdefault((i, i + k), {b: np.zeros(indexes[b].size, dtype=bool) for b in self.attributes})
                            span[a][code] = True
            single = [self._word_part(w, p, indexes) for w in words]
            for seg in _segmentations(len(words), set(spans)):
                parts = [single[i] if j == i + 1 else spans[(i, j)] for i, j in seg]
                present = [any((part[a] & self._occurs[a]).any() for a in self.attributes) for part in parts]
                if not any(present):
                    continue  # no unit of this cut occurs: it cannot match as a sequence
                if not self.gapped and not all(present):
                    continue  # a unit never occurs as a token: no consecutive match is possible
                if any(not ok and j > i + 1 for (i, j), ok in zip(seg, present)):
                    continue  # a joined unit that is absent cannot hide in the filtered text either
                anchor = present.index(True)
                units = tuple(tuple(words[i:j]) for i, j in seg)
                self.multi.append(_Multi(q, frame_index[p.frame], units, parts, anchor, p.case_sensitive))
                for a in self.attributes:
                    self.bits[a][parts[anchor][a]] |= self.dtype(1 << self.multi_bit)
        self._compile_rules(tokens, indexes)

    def _compile_rules(self, tokens: Tokens, indexes: dict[str, _VocabIndex]) -> None:
        """Exclusion expressions become a dictionary of their own (one frame per rule, at most
        63 a dictionary); context rules become vocabulary masks."""
        self.rules: list[tuple[Pattern, Exclusion]] = dictionary_rules(self.dictionary)
        self.rule_owner = [self.patterns.index(p) for p, _ in self.rules]
        self.context_rules: dict[int, tuple[str, dict[str, np.ndarray], int]] = {}
        expressions = []
        for r, (p, x) in enumerate(self.rules):
            if x.kind == "exclude":
                expressions.append(r)
            else:
                masks = {a: indexes[a].word_mask(x.words[0], False) for a in self.attributes}
                self.context_rules[r] = (x.kind, masks, x.window)
        self.exclusion_dicts: list[tuple[list[int], CompiledDictionary]] = []
        for i in range(0, len(expressions), 63):
            chunk = expressions[i : i + 63]
            data = {"frames": {f"rule{r}": {"concepts": {"rule": {"patterns": [
                {"pattern": self.rules[r][1].text, "case_sensitive": self.rules[r][0].case_sensitive}]}}} for r in chunk}}
            sub = FrameDictionary.from_dict(data, source=f"<exclusions of {self.dictionary.source}>")
            self.exclusion_dicts.append((chunk, CompiledDictionary(sub, tokens, self.attributes)))

    def _word_part(self, word: str, p: Pattern, indexes: dict[str, _VocabIndex]) -> dict[str, np.ndarray]:
        """The vocabulary entries one word of a multiword pattern matches, per attribute.

        Function words are matched on the form only: the lemma of "du" is "de" and of "des"
        is "un", and « état du droit » must not match the pattern « état de droit »."""
        out = {}
        for a in self.attributes:
            skip = _form_only(p, a, self.attributes) or (a == "lemma" and "form" in self.attributes and word.casefold() in _FUNCTION_WORDS)
            out[a] = indexes[a].word_mask(word, p.case_sensitive) & self._occurs[a] & (not skip)
        return out

    def __repr__(self) -> str:
        return f"<CompiledDictionary: {len(self.frames)} frames, {self.n_patterns} patterns, {len(self.multi)} multiword>"


# Vocabulary indexes and compiled dictionaries are cached per Tokens object (Tokens never change).
_VOCAB_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COMPILED_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _vocab_index(tokens: Tokens, attribute: str) -> _VocabIndex:
    per = _VOCAB_CACHE.setdefault(tokens, {})
    if attribute not in per:
        per[attribute] = _VocabIndex(tokens.vocab(attribute))
    return per[attribute]


def compile_dictionary(tokens: Tokens, dictionary: FrameDictionary | None = None, attributes: Sequence[str] = _ATTRIBUTES) -> CompiledDictionary:
    """Compile a dictionary against the vocabularies of ``tokens`` (cached: compile once, count often)."""
    dictionary = FrameDictionary.coerce(dictionary)
    per = _COMPILED_CACHE.setdefault(tokens, {})
    key = (id(dictionary), tuple(attributes))
    hit = per.get(key)
    if hit is not None and hit[0] is dictionary:
        return hit[1]
    compiled = CompiledDictionary(dictionary, tokens, attributes)
    per[key] = (dictionary, compiled)
    if tokens.config and not dictionary.source.startswith(_INTERNAL):  # a user's dictionary or query: check it once
        bad = _unmatchable_cached(dictionary, json.dumps(tokens.config, sort_keys=True, default=str), tokens.texts is not None)
        if len(bad):
            listed = "; ".join(f"{r.pattern!r} (line {r.line}) → tokens {r.tokens}" for r in bad.head(5).itertuples())
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            warnings.warn(f"{len(bad)} pattern(s) of {dictionary.source} cannot match under this preprocessing (preprocessed, "
                          f"their own text does not match them): {listed}{more}", UserWarning, stacklevel=3)
    return compiled


# Dictionaries the library builds for itself (already checked through their user's dictionary).
_INTERNAL = ("<exclusions", "<self-test>", "<near misses>")
_UNMATCHABLE_CACHE: dict[tuple[int, str, bool], tuple[FrameDictionary, pd.DataFrame]] = {}


def _unmatchable_cached(dictionary: FrameDictionary, config: str, keep_texts: bool) -> pd.DataFrame:
    key = (id(dictionary), config, keep_texts)
    hit = _UNMATCHABLE_CACHE.get(key)
    if hit is None or hit[0] is not dictionary:
        from discourse.preprocess import Preprocessor

        params = {k: v for k, v in json.loads(config).items() if k in Preprocessor().get_params()}
        params.update(progress=False, keep_texts=keep_texts, n_jobs=1, cache_dir=None)
        try:
            table = unmatchable_patterns(dictionary, Preprocessor(**params))
        except Exception:  # the check is advice: a preprocessing that cannot be rebuilt here is not an error
            table = pd.DataFrame(columns=["frame", "concept", "pattern", "line", "text", "tokens"])
        if len(_UNMATCHABLE_CACHE) >= 256:  # queries build a dictionary per call: keep the cache bounded
            _UNMATCHABLE_CACHE.clear()
        _UNMATCHABLE_CACHE[key] = hit = (dictionary, table)
    return hit[1]


def unmatchable_patterns(dictionary: FrameDictionary | str | None = None, preprocessor: Any = None) -> pd.DataFrame:
    """The patterns that cannot match under a preprocessing: each pattern's own text (a
    wildcard word read as its prefix) is preprocessed, and a pattern that does not match it
    is listed with the tokens the preprocessing made of it.

    ``preprocessor`` is a :class:`~discourse.Preprocessor` (default settings if None).
    Patterns listed here find 0 hits in any corpus preprocessed that way.

    >>> unmatchable_patterns(FrameDictionary.from_patterns(["état de droit", "respect de l'état de droit"]))["pattern"].tolist()
    []
    """
    from discourse.corpus import Corpus
    from discourse.preprocess import Preprocessor

    dictionary = FrameDictionary.coerce(dictionary)
    pre = preprocessor if preprocessor is not None else Preprocessor(progress=False)
    patterns = dictionary.all_patterns()
    texts = [" ".join(w.rstrip("*") for w in p.words) for p in patterns]
    ids = [f"p{i}" for i in range(len(patterns))]
    tokens = pre.transform(Corpus.from_texts(texts, ids=ids))
    found = np.zeros(len(patterns), dtype=bool)
    for lo in range(0, len(patterns), 63):
        chunk = list(range(lo, min(lo + 63, len(patterns))))
        sub = FrameDictionary.from_dict({"frames": {f"p{i}": {"concepts": {"c": {"patterns": [
            {"pattern": patterns[i].text, "case_sensitive": patterns[i].case_sensitive}]}}} for i in chunk}}, source="<self-test>")
        hits = find_hits(tokens, CompiledDictionary(sub, tokens))
        docs = hits.documents(tokens)
        for f, d in zip(hits.frame.tolist(), docs.tolist()):
            if chunk[f] == d:
                found[d] = True
    forms = tokens.to_lists("form")
    rows = [dict(frame=p.frame, concept=p.concept, pattern=p.text, line=p.line, text=texts[i], tokens=" | ".join(forms[i]))
            for i, p in enumerate(patterns) if not found[i]]
    return pd.DataFrame(rows, columns=["frame", "concept", "pattern", "line", "text", "tokens"])


@dataclass(frozen=True)
class Hits:
    """Every match, as parallel arrays sorted by position then frame.

    ``position`` is the global index of the first token, ``length`` the number of tokens,
    ``frame`` an index into ``frames``, ``pattern`` an index into ``patterns`` and ``inside``
    whether the match was found inside a joined expression token.
    """

    position: np.ndarray
    length: np.ndarray
    frame: np.ndarray
    pattern: np.ndarray
    inside: np.ndarray
    frames: list[str]
    patterns: list[Pattern]
    rule: np.ndarray | None = None  # per hit: index into ``rules`` of the rule that excluded it, -1 if counted
    rules: list[tuple[Pattern, Exclusion]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.position)

    @property
    def excluded(self) -> np.ndarray:
        """Whether each hit was excluded by a rule of its pattern (reported, not counted)."""
        return np.zeros(len(self), dtype=bool) if self.rule is None else self.rule >= 0

    def subset(self, keep: np.ndarray) -> Hits:
        """The hits where ``keep`` is True."""
        rule = None if self.rule is None else self.rule[keep]
        return Hits(self.position[keep], self.length[keep], self.frame[keep], self.pattern[keep], self.inside[keep],
                    self.frames, self.patterns, rule, self.rules)

    def counted(self) -> Hits:
        """The hits that count (excluded ones left out)."""
        return self if self.rule is None else self.subset(self.rule < 0)

    def rule_uses(self) -> np.ndarray:
        """How many hits each rule excluded (aligned with ``rules``)."""
        if self.rule is None:
            return np.zeros(len(self.rules), dtype=np.int64)
        r = self.rule[self.rule >= 0]
        return np.bincount(r, minlength=len(self.rules)).astype(np.int64)

    def documents(self, tokens: Tokens) -> np.ndarray:
        """The document position of each hit."""
        return np.searchsorted(tokens.doc_offsets, self.position, side="right") - 1


def find_hits(
    tokens: Tokens,
    dictionary: FrameDictionary | CompiledDictionary | None = None,
    attributes: Sequence[str] = _ATTRIBUTES,
    *,
    excluded: bool = False,
) -> Hits:
    """Find every (non-overlapping within a frame) match of a dictionary, as arrays.

    Hits that an exclusion or context rule of their pattern rules out are left out, unless
    ``excluded=True``: they are then kept with ``rule`` naming the rule (``hits.excluded``).
    """
    hits = _find_hits(tokens, dictionary, attributes)
    return hits if excluded else hits.counted()


def _find_hits(tokens: Tokens, dictionary: FrameDictionary | CompiledDictionary | None, attributes: Sequence[str]) -> Hits:
    compiled = dictionary if isinstance(dictionary, CompiledDictionary) else compile_dictionary(tokens, dictionary, attributes)
    attrs = compiled.attributes
    n_frames = len(compiled.frames)
    n_pat = compiled.n_patterns
    codes = {a: tokens.codes(a) for a in attrs}
    # One gather per attribute: which frames each token may belong to.
    # (np.take is about twice as fast as fancy indexing for this gather)
    mask = np.take(compiled.bits[attrs[0]], codes[attrs[0]])
    for a in attrs[1:]:
        np.bitwise_or(mask, np.take(compiled.bits[a], codes[a]), out=mask)
    candidates = np.flatnonzero(mask)
    cmask = mask[candidates]
    del mask

    # Multiword sequences, checked only where their anchor word occurs.
    spans: dict[int, list[tuple[np.ndarray, np.ndarray, int]]] = {}
    if compiled.multi:
        starts = candidates[(cmask >> compiled.multi_bit) & 1 == 1]
        doc_end = tokens.doc_offsets[np.searchsorted(tokens.doc_offsets, starts, side="right")]
        for m in compiled.multi:
            ok = np.zeros(len(starts), dtype=bool)
            for a in attrs:
                ok |= m.parts[m.anchor][a][codes[a][starts]]
            pos, end = starts[ok], doc_end[ok]
            if compiled.gapped:
                pos, length = _align_gapped(tokens, pos, end, m, codes)
            else:
                for j in range(1, len(m.parts)):
                    inside = pos + j < end
                    pos, end = pos[inside], end[inside]
                    ok = np.zeros(len(pos), dtype=bool)
                    for a in attrs:
                        ok |= m.parts[j][a][codes[a][pos + j]]
                    pos, end = pos[ok], end[ok]
                length = np.full(len(pos), len(m.parts), dtype=np.int64)
            if len(pos):
                spans.setdefault(m.frame, []).append((pos, length, m.rank))

    out_pos, out_len, out_frame, out_rank = [], [], [], []
    for f in range(n_frames):
        single = candidates[(cmask >> f) & 1 == 1]
        rank = np.full(len(single), _NONE, dtype=np.int64)
        for a in attrs:
            np.minimum(rank, compiled.rank[a][f][codes[a][single]], out=rank)
        length = np.ones(len(single), dtype=np.int64)
        if f in spans:
            single, rank, length = _resolve(single, rank, spans[f])
        out_pos.append(single)
        out_len.append(length)
        out_frame.append(np.full(len(single), f, dtype=np.int64))
        out_rank.append(rank)
    position = np.concatenate(out_pos) if out_pos else np.zeros(0, np.int64)
    length = np.concatenate(out_len) if out_len else np.zeros(0, np.int64)
    frame = np.concatenate(out_frame) if out_frame else np.zeros(0, np.int64)
    rank = np.concatenate(out_rank) if out_rank else np.zeros(0, np.int64)
    order = np.lexsort((frame, position))
    rank = rank[order]
    pattern = rank % n_pat if n_pat else rank
    hits = Hits(position[order], length[order], frame[order], pattern, rank >= n_pat, compiled.frames, compiled.patterns)
    if not compiled.rules:
        return hits
    return Hits(hits.position, hits.length, hits.frame, hits.pattern, hits.inside, hits.frames, hits.patterns,
                _apply_rules(tokens, compiled, hits, codes), compiled.rules)


def _apply_rules(tokens: Tokens, compiled: CompiledDictionary, hits: Hits, codes: dict[str, np.ndarray]) -> np.ndarray:
    """Per hit, the index of the first rule of its pattern that excludes it (-1: counted).

    An ``exclude`` expression excludes a hit that overlaps one of its matches (« sécurité
    sociale » over « sécurité », joined or not); a context rule excludes a hit with one of its
    words among the ``window`` kept tokens after (``not_followed_by``) or before it, in the
    same document."""
    rule = np.full(len(hits), -1, dtype=np.int64)
    if not len(hits):
        return rule
    end = hits.position + hits.length
    doc = hits.documents(tokens)
    first, last = tokens.doc_offsets[doc], tokens.doc_offsets[doc + 1]
    # exclusion expressions: one frame per rule, so that rules never shadow each other
    for chunk, sub in compiled.exclusion_dicts:
        ex = _find_hits(tokens, sub, compiled.attributes)
        for f, r in enumerate(chunk):
            q = compiled.rule_owner[r]
            sel = np.flatnonzero((hits.pattern == q) & (rule < 0))
            at = ex.frame == f
            if not len(sel) or not at.any():
                continue
            ex_pos, ex_end = ex.position[at], ex.position[at] + ex.length[at]  # sorted, non-overlapping
            k = np.searchsorted(ex_pos, end[sel], side="left") - 1
            hit = (k >= 0) & (ex_end[np.maximum(k, 0)] > hits.position[sel])
            rule[sel[hit]] = r
    for r, (kind, masks, window) in compiled.context_rules.items():
        q = compiled.rule_owner[r]
        sel = np.flatnonzero((hits.pattern == q) & (rule < 0))
        if not len(sel):
            continue
        found = np.zeros(len(sel), dtype=bool)
        for k in range(1, window + 1):
            at = end[sel] + k - 1 if kind == "not_followed_by" else hits.position[sel] - k
            inside = (at < last[sel]) if kind == "not_followed_by" else (at >= first[sel])
            idx = np.where(inside, at, 0)
            for a, mask in masks.items():
                found |= inside & mask[codes[a][idx]]
        rule[sel[found]] = r
    return rule


def _align_gapped(tokens: Tokens, pos: np.ndarray, end: np.ndarray, m: _Multi, codes: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Match a multiword pattern from its anchor tokens, reading filtered words from the original text.

    Each following word of the pattern must be, in order, either the next word of the text
    left between two kept tokens (a filtered stop word) or, when that text holds no word, the
    next kept token. Words before the anchor must end the text just before it. Returns the
    matching positions and their lengths in tokens.
    """
    assert tokens.texts is not None
    units, anchor, cs = m.units, m.anchor, m.case_sensitive
    last = len(units) - 1
    # cheap necessary condition first: the last unit is a kept token within reach or never a token
    if last > anchor:
        reach = sum(len(u) for u in units[anchor + 1 :])
        mask_last = m.parts[last]
        if any(mask_last[a].any() for a in codes):
            near = np.zeros(len(pos), dtype=bool)
            for j in range(1, reach + 1):
                inside = pos + j < end
                idx = np.where(inside, pos + j, 0)
                hit = np.zeros(len(pos), dtype=bool)
                for a in codes:
                    hit |= mask_last[a][codes[a][idx]]
                near |= inside & hit
            # the last word may also be a filtered word of the text: keep those candidates too
            # (checked below); only drop anchors when the last word is always a kept token
            if len(units[last]) > 1 or not _may_be_filtered(units[last][0]):
                pos, end = pos[near], end[near]
    starts, ends, texts = tokens.starts, tokens.ends, tokens.texts
    docs = np.searchsorted(tokens.doc_offsets, pos, side="right") - 1
    out_pos, out_len = [], []
    for p, e, d in zip(pos.tolist(), end.tolist(), docs.tolist()):
        text = texts[d]
        first = int(tokens.doc_offsets[d])
        if anchor:
            lead = [w for u in units[:anchor] for w in u]
            lo = int(ends[p - 1]) if p > first else 0
            before = split_words(text[lo : int(starts[p])])
            if len(before) < len(lead) or not _words_match(lead, before[len(before) - len(lead) :], cs):
                continue
        t = p + 1
        gap = list(split_words(text[int(ends[p]) : int(starts[t]) if t < e else len(text)]))
        ok = True
        for j in range(anchor + 1, last + 1):
            unit = units[j]
            if gap:
                if len(gap) < len(unit) or not _words_match(unit, gap[: len(unit)], cs):
                    ok = False
                    break
                del gap[: len(unit)]
            elif t < e and any(m.parts[j][a][codes[a][t]] for a in codes):
                t += 1
                gap = list(split_words(text[int(ends[t - 1]) : int(starts[t]) if t < e else len(text)]))
            else:
                ok = False
                break
        if ok:
            out_pos.append(p)
            out_len.append(t - p)
    return np.asarray(out_pos, dtype=np.int64), np.asarray(out_len, dtype=np.int64)


def _may_be_filtered(word: str) -> bool:
    """Whether a pattern word may be missing from filtered tokens (function words, short words)."""
    return len(word.rstrip("*")) <= 3 or word.casefold() in _FUNCTION_WORDS


# Function words that stop-word lists commonly remove; a pattern ending with one is aligned
# without the cheap pre-check of its last word.
_FUNCTION_WORDS = frozenset(
    "le la les l' de d' du des un une au aux à en et ou dans par pour sur sous avec sans contre entre vers chez "
    "ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes ton ta tes qui que qu' quoi dont où "
    "ne n' pas plus se s' il elle ils elles on nous vous je j' tu me m' te t' lui y".split()
)


def _resolve(single: np.ndarray, rank: np.ndarray, spans: list[tuple[np.ndarray, np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leftmost, then longest, then best-ranked match wins; overlapping matches are dropped."""
    pos = np.concatenate([single] + [s for s, _, _ in spans])
    length = np.concatenate([np.ones(len(single), np.int64)] + [k for _, k, _ in spans])
    rk = np.concatenate([rank] + [np.full(len(s), r, np.int64) for s, _, r in spans])
    order = np.lexsort((rk, -length, pos))
    pos, length, rk = pos[order], length[order], rk[order]
    keep = np.zeros(len(pos), dtype=bool)
    last_end = -1
    # Python loop over the candidates of one frame only (hits are rare compared with tokens).
    for i, (p, k) in enumerate(zip(pos.tolist(), length.tolist())):
        if p >= last_end:
            keep[i] = True
            last_end = p + k
    return pos[keep], rk[keep], length[keep]


def match_frames(tokens: Tokens, dictionary: FrameDictionary | None = None, attributes: Sequence[str] = _ATTRIBUTES) -> pd.DataFrame:
    """Every match of a frame dictionary, one row each.

    Columns: ``doc_id``, ``frame``, ``concept``, ``pattern``, ``token`` (index of the first
    token in its document), ``n_tokens``, ``start``/``end`` (character offsets in the
    original text) and ``text`` (the original text between them).

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["prévenir", "l'", "extrémisme", "violent"]], doc_ids=["d1"])
    >>> match_frames(toks).loc[:, ["doc_id", "frame", "text", "start", "end"]].values.tolist()
    [['d1', 'violent_extremism', 'extrémisme violent', 12, 30]]
    """
    hits = find_hits(tokens, FrameDictionary.coerce(dictionary), attributes)
    return hits_frame(tokens, hits)


def hits_frame(tokens: Tokens, hits: Hits) -> pd.DataFrame:
    """The table of :func:`match_frames` for precomputed :class:`Hits`."""
    doc = hits.documents(tokens)
    last = hits.position + hits.length - 1
    starts = tokens.starts[hits.position]
    ends = tokens.ends[last] if len(last) else np.zeros(0, np.int64)
    if tokens.texts is not None:
        texts = [tokens.texts[d][s:e] for d, s, e in zip(doc.tolist(), starts.tolist(), ends.tolist())]
    else:
        fv, fc = tokens.vocab("form"), tokens.codes("form")
        texts = [" ".join(fv[c] for c in fc[p : p + k]) for p, k in zip(hits.position.tolist(), hits.length.tolist())]
    pats = hits.patterns
    frame = pd.DataFrame(
        {
            "doc_id": [tokens.doc_ids[d] for d in doc.tolist()],
            "frame": [hits.frames[f] for f in hits.frame.tolist()],
            "concept": [pats[q].concept for q in hits.pattern.tolist()],
            "pattern": [pats[q].text for q in hits.pattern.tolist()],
            "token": (hits.position - tokens.doc_offsets[doc]).astype(np.int64),
            "n_tokens": hits.length.astype(np.int64),
            "start": starts.astype(np.int64),
            "end": ends.astype(np.int64),
            "text": texts,
        },
        columns=["doc_id", "frame", "concept", "pattern", "token", "n_tokens", "start", "end", "text"],
    )
    return frame


def document_frame_counts(tokens: Tokens, dictionary: FrameDictionary | CompiledDictionary | None = None, attributes: Sequence[str] = _ATTRIBUTES) -> tuple[np.ndarray, list[str]]:
    """Hits per document and frame: an ``(n_documents, n_frames)`` integer array and the frame names
    (hits excluded by a rule are not counted; see :func:`document_hit_counts`)."""
    counts, _, frames, _ = document_hit_counts(tokens, dictionary, attributes)
    return counts, frames


def document_hit_counts(
    tokens: Tokens, dictionary: FrameDictionary | CompiledDictionary | None = None, attributes: Sequence[str] = _ATTRIBUTES
) -> tuple[np.ndarray, np.ndarray, list[str], Hits]:
    """Counted and excluded hits per document and frame (two ``(n_documents, n_frames)`` arrays),
    the frame names and every hit (``excluded=True``).

    >>> from discourse.tokens import Tokens
    >>> d = FrameDictionary.from_dict({"frames": {"securite": {"concepts": {"s": {
    ...     "patterns": ["sécurité"], "exclude": ["sécurité sociale"]}}}}})
    >>> counts, excluded, frames, _ = document_hit_counts(Tokens.from_lists([["sécurité", "sociale", "et", "sécurité"]]), d)
    >>> counts.tolist(), excluded.tolist(), frames
    ([[1]], [[1]], ['securite'])
    """
    hits = find_hits(tokens, dictionary, attributes, excluded=True)
    n_frames = len(hits.frames)
    key = hits.documents(tokens) * n_frames + hits.frame
    shape = (len(tokens), n_frames)
    ex = hits.excluded
    counts = np.bincount(key[~ex], minlength=len(tokens) * n_frames).reshape(shape).astype(np.int64)
    excluded = np.bincount(key[ex], minlength=len(tokens) * n_frames).reshape(shape).astype(np.int64)
    return counts, excluded, list(hits.frames), hits


def exclusion_report(hits: Hits) -> pd.DataFrame:
    """How many hits each exclusion or context rule excluded: frame, concept, patterns (those it applies to),
    kind, rule, window, line (where it is written), excluded.

    A rule with ``excluded == 0`` never applies in this corpus: a typo, or a sense absent from it.

    >>> from discourse.tokens import Tokens
    >>> d = FrameDictionary.from_dict({"frames": {"securite": {"concepts": {"s": {
    ...     "patterns": ["sécurité"], "exclude": ["sécurité sociale", "sécurité routière"]}}}}})
    >>> hits = find_hits(Tokens.from_lists([["sécurité", "sociale"]]), d, excluded=True)
    >>> exclusion_report(hits)[["rule", "excluded"]].values.tolist()
    [['sécurité sociale', 1], ['sécurité routière', 0]]
    """
    return rule_report(hits.rules, hits.rule_uses())


def rule_report(rules: Sequence[tuple[Pattern, Exclusion]], uses: np.ndarray) -> pd.DataFrame:
    """The table of :func:`exclusion_report` from the rules and how many hits each excluded
    (``uses`` aligned with ``rules``: integer counts, summed exactly over parts of a corpus)."""
    # one row per rule as written: a concept's rule applies to each of its patterns
    rows: dict[tuple, dict[str, Any]] = {}
    for (p, x), n in zip(rules, np.asarray(uses).tolist()):
        key = (p.frame, p.concept, x.kind, x.text, x.window, x.line)
        row = rows.setdefault(key, dict(frame=p.frame, concept=p.concept, patterns=[], kind=x.kind, rule=x.text,
                                        window=x.window, line=x.line, excluded=0))
        row["patterns"].append(p.text)
        row["excluded"] += int(n)
    table = pd.DataFrame(list(rows.values()), columns=["frame", "concept", "patterns", "kind", "rule", "window", "line", "excluded"])
    table["patterns"] = table["patterns"].map(" | ".join)
    return table
