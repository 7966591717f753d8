"""Frame dictionaries: frames → concepts → patterns, read from YAML.

A *frame* (``rule_of_law``) groups *concepts* (``etat_de_droit``), and each concept lists the
*patterns* that signal it in a text. A pattern is

- a word or lemma: ``multilatéralisme``;
- a multiword expression: ``état de droit`` (matched on a joined expression token *or* on
  consecutive tokens, see :mod:`discourse.patterns.match`);
- a prefix wildcard: ``terroris*`` (every word starting with ``terroris``); each word of an
  expression may carry one (``politique* antiterroris*``).

Matching ignores case unless ``case_sensitive: true`` is set on the pattern, the concept or
the frame (useful for acronyms such as ``EI``, or to keep ``État`` apart from ``état``).
A case-sensitive pattern is matched on the text as written (token forms), not on lemmas,
because the preprocessing gives expressions a canonical spelling.

The YAML file looks like this::

    frames:
      rule_of_law:
        label: État de droit
        gloss: rule of law
        description: Appeals to legality and the rule of law.
        concepts:
          etat_de_droit:
            gloss: rule of law
            patterns: [état de droit, primauté du droit]
          legalite:
            patterns:
              - légalité
              - {pattern: "CEDH", case_sensitive: true}

A concept may also be written as a bare list of patterns. Every problem found while reading a
file is reported with the file, the line and the reason.

Example
-------
>>> d = FrameDictionary.from_dict({"frames": {"multilateralism": {"concepts": {
...     "multilateralisme": {"patterns": ["multilatéralisme", "multilatéral*"]}}}}})
>>> d.frame_names
['multilateralism']
>>> d.patterns()["pattern"].tolist()
['multilatéralisme', 'multilatéral*']
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from discourse import yaml_safe
from discourse.lang.fr.punctuation import APOSTROPHE_TABLE as _APOSTROPHES

__all__ = ["FrameDictionary", "Frame", "Concept", "Pattern", "Exclusion", "FrameDictionaryError", "normalize_text", "split_words"]

# Wildcard prefixes shorter than this match so many words that they are most likely a mistake.
_SHORT_PREFIX = 3
# French elided words written glued to the next word; a pattern "état d'urgence" is split into
# the tokens the preprocessing produces ("état", "d'", "urgence").
_ELISION = re.compile(r"^((?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])')(.+)$", re.IGNORECASE)


def _default_path():
    """The shipped dictionary, a data file of :mod:`discourse.frames` (read, not imported)."""
    return resources.files("discourse").joinpath("frames").joinpath("default.yaml")


class FrameDictionaryError(ValueError):
    """A frame dictionary that cannot be used; the message names the file, line and reason."""


def normalize_text(text: str) -> str:
    """NFC, ASCII apostrophes and single spaces: the form patterns and vocabularies are compared in.

    >>> normalize_text("l\u2019état  de droit")
    "l'état de droit"
    """
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return " ".join(text.split())


def split_words(text: str) -> tuple[str, ...]:
    """Split a normalised pattern or expression into the words the tokenizer would produce.

    >>> split_words("état d'urgence")
    ('état', "d'", 'urgence')
    """
    words: list[str] = []
    for chunk in normalize_text(text).split(" "):
        while True:
            m = _ELISION.match(chunk)
            if not m:
                break
            words.append(m.group(1))
            chunk = m.group(2)
        if chunk:
            words.append(chunk)
    return tuple(words)


@dataclass(frozen=True)
class Exclusion:
    """A rule that keeps some hits of a pattern from counting (they are reported as excluded).

    ``kind`` is ``"exclude"`` (``text`` is an expression; a hit inside a match of it is
    excluded, e.g. « sécurité sociale » for « sécurité »), ``"not_followed_by"`` or
    ``"not_preceded_by"`` (``text`` is a word or wildcard; a hit with it among the ``window``
    kept tokens after / before it is excluded). ``line`` is where the rule is written.
    """

    kind: str
    text: str
    window: int = 1
    line: int | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return split_words(self.text)

    def describe(self) -> str:
        if self.kind == "exclude":
            return f"exclude {self.text!r}"
        return f"{self.kind} {self.text!r} (within {self.window} token{'s' if self.window > 1 else ''})"


@dataclass(frozen=True)
class Pattern:
    """One pattern of one concept (``text`` as written; ``words`` as matched).

    ``exclusions`` are the pattern's own rules plus those of its concept (see :class:`Exclusion`).
    """

    text: str
    frame: str
    concept: str
    case_sensitive: bool = False
    line: int | None = None
    exclusions: tuple[Exclusion, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return split_words(self.text)

    @property
    def is_wildcard(self) -> bool:
        return any(w.endswith("*") for w in self.words)


@dataclass(frozen=True)
class Concept:
    """A concept of a frame: a name, an English gloss and its patterns."""

    name: str
    patterns: tuple[Pattern, ...]
    gloss: str = ""


@dataclass(frozen=True)
class Frame:
    """A frame: a name, a display label, an English gloss, a description and its concepts."""

    name: str
    concepts: tuple[Concept, ...]
    label: str = ""
    gloss: str = ""
    description: str = ""

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return tuple(p for c in self.concepts for p in c.patterns)


_RULE_KEYS = {"exclude", "not_followed_by", "not_preceded_by", "window"}
_FRAME_KEYS = {"label", "gloss", "description", "concepts", "patterns", "case_sensitive"}
_CONCEPT_KEYS = {"gloss", "description", "patterns", "case_sensitive"} | _RULE_KEYS
_PATTERN_KEYS = {"pattern", "case_sensitive", "gloss"} | _RULE_KEYS
# A context rule looks at most this many tokens away (a larger window is most likely a typo).
_MAX_WINDOW = 20


@dataclass(frozen=True)
class FrameDictionary:
    """An ordered set of frames, each with concepts and patterns.

    Build one with :meth:`from_yaml`, :meth:`from_dict` or :meth:`default`.

    >>> d = FrameDictionary.default()
    >>> "rule_of_law" in d.frame_names
    True
    >>> d["rule_of_law"].gloss
    'rule of law'
    """

    frames: tuple[Frame, ...]
    source: str = "<dict>"
    meta: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_yaml(cls, path: str | Path) -> FrameDictionary:
        """Read a dictionary from a YAML file (safe loader); errors give file, line and reason."""
        path = Path(path)
        try:  # size-checked before reading (yaml_safe.MAX_BYTES)
            text = yaml_safe.read_text(path)
        except yaml_safe.YAMLInputError as exc:
            raise FrameDictionaryError(f"cannot read the frame dictionary: {exc}") from None
        return cls.from_yaml_string(text, source=str(path))

    @classmethod
    def from_yaml_string(cls, text: str, source: str = "<string>") -> FrameDictionary:
        """Read a dictionary from YAML text (``source`` names it in error messages)."""
        try:  # aliases, deep nesting and oversized text refused (discourse.yaml_safe)
            node = yaml_safe.compose(text, source)
        except yaml_safe.YAMLInputError as exc:
            raise FrameDictionaryError(str(exc)) from None
        if node is None:
            raise FrameDictionaryError(f"{source}, line 1: the file is empty (expected a 'frames:' mapping)")
        return _Reader(source).read(node)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> FrameDictionary:
        """Build from a Python mapping shaped like the YAML file."""
        try:
            text = yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False)
        except yaml.YAMLError as exc:
            raise FrameDictionaryError(f"{source}: cannot be represented as a frame dictionary ({exc})") from None
        return cls.from_yaml_string(text, source=source)

    @classmethod
    def default(cls) -> FrameDictionary:
        """The dictionary shipped with discourse: international politics and security discourse.

        Frames: rule_of_law, multilateralism, counter_terrorism, violent_extremism,
        human_rights, sovereignty, security_threat, state_of_emergency (see
        ``discourse/frames/default.yaml`` for every pattern and its gloss).
        """
        ref = _default_path()
        return cls.from_yaml_string(ref.read_text(encoding="utf-8"), source=str(ref))

    @classmethod
    def coerce(cls, dictionary: FrameDictionary | str | Path | Mapping[str, Any] | None) -> FrameDictionary:
        """Accept a dictionary, a YAML path, a mapping, or None (the default dictionary)."""
        if dictionary is None:
            return cls.default()
        if isinstance(dictionary, FrameDictionary):
            return dictionary
        if isinstance(dictionary, (str, Path)):
            return cls.from_yaml(dictionary)
        if isinstance(dictionary, Mapping):
            return cls.from_dict(dictionary)
        raise TypeError(f"expected a FrameDictionary, a YAML path or a mapping, not {type(dictionary).__name__}")

    @classmethod
    def from_patterns(cls, patterns: str | Iterable[str], frame: str = "query", case_sensitive: bool = False) -> FrameDictionary:
        """A one-frame dictionary from patterns (how KWIC and progression queries are built).

        >>> FrameDictionary.from_patterns("terroris*").patterns()["frame"].tolist()
        ['query']
        """
        if isinstance(patterns, str):
            patterns = [patterns]
        items = [{"pattern": p, "case_sensitive": case_sensitive} for p in patterns]
        return cls.from_dict({"frames": {frame: {"concepts": {frame: {"patterns": items}}}}}, source=f"<query {frame}>")

    # ------------------------------------------------------------------ access
    @property
    def is_default(self) -> bool:
        """Whether this is (a selection of) the dictionary shipped with discourse.

        >>> FrameDictionary.default().select("rule_of_law").is_default
        True
        """
        return self.source == str(_default_path())

    @property
    def frame_names(self) -> list[str]:
        return [f.name for f in self.frames]

    def __getitem__(self, name: str) -> Frame:
        for f in self.frames:
            if f.name == name:
                return f
        raise KeyError(f"no frame {name!r} in {self.source}; frames are {self.frame_names}")

    def __contains__(self, name: object) -> bool:
        return name in self.frame_names

    def __iter__(self) -> Iterator[Frame]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        n = sum(len(f.patterns) for f in self.frames)
        return f"<FrameDictionary {self.source}: {len(self.frames)} frames, {n} patterns>"

    def select(self, frames: str | Iterable[str]) -> FrameDictionary:
        """Keep some frames (in the order given)."""
        names = [frames] if isinstance(frames, str) else list(frames)
        return FrameDictionary(tuple(self[n] for n in names), source=self.source, meta=self.meta)

    def all_patterns(self) -> list[Pattern]:
        """Every pattern, in dictionary order."""
        return [p for f in self.frames for p in f.patterns]

    def patterns(self) -> pd.DataFrame:
        """One row per pattern: frame, concept, pattern, case_sensitive, wildcard, words, gloss."""
        rows = []
        for f in self.frames:
            for c in f.concepts:
                for p in c.patterns:
                    rows.append(dict(frame=f.name, concept=c.name, pattern=p.text, case_sensitive=p.case_sensitive,
                                     wildcard=p.is_wildcard, words=len(p.words), gloss=c.gloss, line=p.line,
                                     exclusions="; ".join(x.describe() for x in p.exclusions)))
        return pd.DataFrame(rows, columns=["frame", "concept", "pattern", "case_sensitive", "wildcard", "words", "gloss", "line", "exclusions"])

    def exclusions(self) -> pd.DataFrame:
        """One row per (pattern, exclusion rule): frame, concept, pattern, kind, rule, window, line.

        >>> d = FrameDictionary.from_dict({"frames": {"securite": {"concepts": {"securite": {
        ...     "patterns": ["sécurité"], "exclude": ["sécurité sociale"]}}}}})
        >>> d.exclusions()[["pattern", "kind", "rule"]].values.tolist()
        [['sécurité', 'exclude', 'sécurité sociale']]
        """
        rows = [dict(frame=p.frame, concept=p.concept, pattern=p.text, kind=x.kind, rule=x.text, window=x.window, line=x.line)
                for p in self.all_patterns() for x in p.exclusions]
        return pd.DataFrame(rows, columns=["frame", "concept", "pattern", "kind", "rule", "window", "line"])

    def frames_table(self) -> pd.DataFrame:
        """One row per frame: name, label, gloss, description, number of concepts and patterns."""
        return pd.DataFrame(
            [dict(frame=f.name, label=f.label or f.name, gloss=f.gloss, description=f.description,
                  concepts=len(f.concepts), patterns=len(f.patterns)) for f in self.frames],
            columns=["frame", "label", "gloss", "description", "concepts", "patterns"],
        )

    def label(self, frame: str) -> str:
        """The display label of a frame (its name when it has none)."""
        f = self[frame]
        return f.label or f.name

    def to_dict(self) -> dict[str, Any]:
        """The dictionary as plain data (the YAML layout)."""
        out: dict[str, Any] = {}
        for f in self.frames:
            concepts = {}
            for c in f.concepts:
                pats: list[Any] = [_pattern_dict(p) for p in c.patterns]
                concepts[c.name] = {"gloss": c.gloss, "patterns": pats}
            out[f.name] = {"label": f.label, "gloss": f.gloss, "description": f.description, "concepts": concepts}
        return {"frames": out}

    def to_yaml(self, path: str | Path) -> Path:
        """Write the dictionary as YAML (readable back with :meth:`from_yaml`)."""
        path = Path(path)
        path.write_text(yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path


def _pattern_dict(p: Pattern) -> Any:
    """A pattern as YAML data (its concept's rules are written on each pattern)."""
    if not p.case_sensitive and not p.exclusions:
        return p.text
    out: dict[str, Any] = {"pattern": p.text}
    if p.case_sensitive:
        out["case_sensitive"] = True
    context = [x for x in p.exclusions if x.kind != "exclude"]
    one_window = len({x.window for x in context}) <= 1
    for kind in ("exclude", "not_followed_by", "not_preceded_by"):
        rules = [x for x in p.exclusions if x.kind == kind]
        if rules:
            # rules with different windows are written one by one ({word, window}), so nothing is lost
            out[kind] = [x.text if kind == "exclude" or one_window else {"word": x.text, "window": x.window} for x in rules]
    if context and one_window:
        out["window"] = context[0].window
    return out


def _plain(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


def _word_fits(rule_word: str, pattern_word: str) -> bool:
    """Whether a word of an exclusion may coincide with a word of a pattern (either may be a prefix)."""
    a, b = rule_word.casefold(), pattern_word.casefold()
    if a.endswith("*") or b.endswith("*"):
        pa, pb = a.rstrip("*"), b.rstrip("*")
        return pa.startswith(pb) if b.endswith("*") and not a.endswith("*") else (pb.startswith(pa) if a.endswith("*") and not b.endswith("*") else (pa.startswith(pb) or pb.startswith(pa)))
    return a == b


def _can_cover(rule: Sequence[str], pattern: Sequence[str]) -> bool:
    """Whether a match of ``rule`` may contain a match of ``pattern`` (a word of one fits one of the other)."""
    return any(_word_fits(r, p) for r in rule for p in pattern)


class _Reader:
    """Walks the composed YAML nodes so that every error can name its line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node, reason: str) -> None:
        raise FrameDictionaryError(f"{self.source}, line {node.start_mark.line + 1}: {reason}")

    def mapping(self, node: yaml.Node, what: str, allowed: set[str] | None = None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value), found {self.kind(node)}")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.fail(key, f"keys of {what} must be plain names")
            name = str(key.value)
            if name in out:
                self.fail(key, f"duplicate key {name!r} in {what} (first at line {out[name][0].start_mark.line + 1})")
            if allowed is not None and name not in allowed:
                self.fail(key, f"unknown key {name!r} in {what}; allowed keys are {sorted(allowed)}")
            out[name] = (key, value)
        return out

    @staticmethod
    def kind(node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        return f"the value {node.value!r}" if node.value != "" else "nothing"

    def string(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            self.fail(node, f"{what} must be text, found {self.kind(node)}")
        return str(node.value)

    def boolean(self, node: yaml.Node, what: str) -> bool:
        value = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.fail(node, f"{what} must be true or false, found {self.kind(node)}")
        return value

    def read(self, root: yaml.Node) -> FrameDictionary:
        top = self.mapping(root, "the top level", allowed={"frames", "name", "description", "version", "language"})
        if "frames" not in top:
            self.fail(root, "missing the 'frames:' mapping at the top level")
        meta = {k: self.string(v, k) for k, (_, v) in top.items() if k != "frames"}
        frames_node = top["frames"][1]
        frames_map = self.mapping(frames_node, "'frames'")
        if not frames_map:
            self.fail(frames_node, "'frames' is empty: define at least one frame")
        frames = tuple(self.frame(name, key, value) for name, (key, value) in frames_map.items())
        return FrameDictionary(frames, source=self.source, meta=meta)

    def frame(self, name: str, key: yaml.Node, node: yaml.Node) -> Frame:
        if isinstance(node, yaml.SequenceNode):  # shorthand: a frame as a bare list of patterns
            return Frame(name, (self.concept(name, name, key, node, False),))
        fields = self.mapping(node, f"frame {name!r}", allowed=_FRAME_KEYS)
        cs = self.boolean(fields["case_sensitive"][1], "case_sensitive") if "case_sensitive" in fields else False
        concepts: list[Concept] = []
        if "concepts" in fields:
            cmap = self.mapping(fields["concepts"][1], f"the concepts of frame {name!r}")
            concepts += [self.concept(name, cname, ckey, cnode, cs) for cname, (ckey, cnode) in cmap.items()]
        if "patterns" in fields:
            concepts.append(self.concept(name, name, fields["patterns"][0], fields["patterns"][1], cs))
        if not concepts:
            self.fail(key, f"frame {name!r} has no concepts (add 'concepts:' or 'patterns:')")
        text = {k: self.string(fields[k][1], f"{k} of frame {name!r}") for k in ("label", "gloss", "description") if k in fields}
        self.check_duplicates(name, concepts)
        return Frame(name, tuple(concepts), **text)

    def concept(self, frame: str, name: str, key: yaml.Node, node: yaml.Node, case_sensitive: bool) -> Concept:
        gloss = ""
        rules: tuple[Exclusion, ...] = ()
        if isinstance(node, yaml.MappingNode):
            fields = self.mapping(node, f"concept {name!r} of frame {frame!r}", allowed=_CONCEPT_KEYS)
            rules = self.rules(fields, f"concept {name!r} of frame {frame!r}")
            if "case_sensitive" in fields:
                case_sensitive = self.boolean(fields["case_sensitive"][1], "case_sensitive")
            if "gloss" in fields:
                gloss = self.string(fields["gloss"][1], f"gloss of concept {name!r}")
            if "patterns" not in fields:
                self.fail(node, f"concept {name!r} of frame {frame!r} has no 'patterns:' list")
            node = fields["patterns"][1]
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"the patterns of concept {name!r} (frame {frame!r}) must be a list, found {self.kind(node)}")
        if not node.value:
            self.fail(node, f"concept {name!r} of frame {frame!r} has an empty pattern list")
        patterns = tuple(self.pattern(frame, name, item, case_sensitive, rules) for item in node.value)
        for x in rules:
            if x.kind == "exclude" and not any(_can_cover(x.words, p.words) for p in patterns):
                raise FrameDictionaryError(
                    f"{self.source}, line {x.line}: exclusion {x.text!r} of concept {name!r} cannot contain a hit of "
                    "any of its patterns: it shares no word with them, so it would never exclude anything")
        return Concept(name, patterns, gloss)

    def rules(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], what: str) -> tuple[Exclusion, ...]:
        """The exclusion and context rules of a concept or pattern mapping."""
        window = 1
        if "window" in fields:
            wnode = fields["window"][1]
            window = self.window(wnode, what)
            if not any(k in fields for k in ("not_followed_by", "not_preceded_by")):
                self.fail(wnode, f"window of {what} is set but there is no not_followed_by / not_preceded_by rule for it to apply to")
        out: list[Exclusion] = []
        for kind in ("exclude", "not_followed_by", "not_preceded_by"):
            if kind not in fields:
                continue
            knode = fields[kind][1]
            items = knode.value if isinstance(knode, yaml.SequenceNode) else [knode]
            if isinstance(knode, yaml.SequenceNode) and not items:
                self.fail(knode, f"{kind} of {what} is an empty list")
            for item in items:
                item_window = window
                if isinstance(item, yaml.MappingNode) and kind != "exclude":
                    # {word: x, window: n}: a rule with its own window
                    entry = self.mapping(item, f"an entry of {kind} of {what}", allowed={"word", "window"})
                    if "word" not in entry:
                        self.fail(item, f"an entry of {kind} of {what} is a mapping without a 'word:' key")
                    if "window" in entry:
                        item_window = self.window(entry["window"][1], what)
                    item = entry["word"][1]
                text = normalize_text(self.string(item, f"an entry of {kind} of {what}"))
                words = split_words(text)
                if not words:
                    self.fail(item, f"empty entry in {kind} of {what}")
                for w in words:
                    stem = w[:-1] if w.endswith("*") else w
                    if "*" in stem or (w.endswith("*") and not stem.strip("'-")):
                        self.fail(item, f"{kind} entry {text!r} of {what}: only a final '*' after a prefix is supported, in {w!r}")
                if kind != "exclude" and len(words) > 1:
                    self.fail(item, f"{kind} entry {text!r} of {what}: a context rule names single words "
                                    "(use 'exclude:' for an expression)")
                out.append(Exclusion(kind, text, item_window if kind != "exclude" else 1, item.start_mark.line + 1))
        return tuple(out)

    def window(self, wnode: yaml.Node, what: str) -> int:
        value = yaml.safe_load(yaml.serialize(wnode)) if isinstance(wnode, yaml.ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_WINDOW:
            self.fail(wnode, f"window of {what} must be a whole number of tokens from 1 to {_MAX_WINDOW}, found {self.kind(wnode)}")
        return value

    def pattern(self, frame: str, concept: str, node: yaml.Node, case_sensitive: bool, inherited: tuple[Exclusion, ...] = ()) -> Pattern:
        own: tuple[Exclusion, ...] = ()
        if isinstance(node, yaml.MappingNode):
            fields = self.mapping(node, f"a pattern of concept {concept!r}", allowed=_PATTERN_KEYS)
            if "pattern" not in fields:
                self.fail(node, f"a pattern of concept {concept!r} is a mapping without a 'pattern:' key")
            own = self.rules(fields, f"pattern {self.string(fields['pattern'][1], 'pattern')!r} of concept {concept!r}")
            if "case_sensitive" in fields:
                case_sensitive = self.boolean(fields["case_sensitive"][1], "case_sensitive")
            node = fields["pattern"][1]
        text = self.string(node, f"a pattern of concept {concept!r} (frame {frame!r})")
        words = split_words(text)
        if not words:
            self.fail(node, f"empty pattern in concept {concept!r} of frame {frame!r}")
        for w in words:
            stem = w[:-1] if w.endswith("*") else w
            if "*" in stem:
                self.fail(node, f"pattern {text!r}: only a final '*' (prefix wildcard) is supported, in {w!r}")
            if w.endswith("*") and not stem.strip("'-"):
                self.fail(node, f"pattern {text!r}: the wildcard {w!r} would match every token; give a prefix such as 'terroris*'")
            if w.endswith("*") and len(stem) < _SHORT_PREFIX:
                warnings.warn(
                    f"{self.source}, line {node.start_mark.line + 1}: pattern {text!r} has a very short prefix "
                    f"({stem!r}) and will match many unrelated words",
                    UserWarning,
                    stacklevel=4,
                )
        text = normalize_text(text)
        # the concept's 'exclude' expressions apply to the patterns they can contain; the
        # pattern's own must contain it (it shares a word with it), or it could never exclude anything
        rules = tuple(x for x in inherited if x.kind != "exclude" or _can_cover(x.words, words)) + own
        for x in own:
            if x.kind == "exclude" and not _can_cover(x.words, words):
                raise FrameDictionaryError(
                    f"{self.source}, line {x.line}: exclusion {x.text!r} cannot contain a hit of pattern {text!r} "
                    f"(concept {concept!r}): it shares no word with it, so it would never exclude anything")
        return Pattern(text, frame, concept, case_sensitive, node.start_mark.line + 1, rules)

    def check_duplicates(self, frame: str, concepts: list[Concept]) -> None:
        seen: dict[tuple[str, bool], Pattern] = {}
        for c in concepts:
            for p in c.patterns:
                key = (p.text if p.case_sensitive else p.text.casefold(), p.case_sensitive)
                if key in seen:
                    raise FrameDictionaryError(
                        f"{self.source}, line {p.line}: pattern {p.text!r} appears twice in frame {frame!r} "
                        f"(also line {seen[key].line}, concept {seen[key].concept!r})"
                    )
                seen[key] = p
