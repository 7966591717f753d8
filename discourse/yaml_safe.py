"""Reading YAML written by someone else: bounded, alias-free, and every error names file and line.

PyYAML's ``safe_load`` never runs code, but it still expands aliases: half a kilobyte of nested
``&a``/``*a`` references (the "billion laughs") becomes gigabytes of lists. Analysis files and
frame dictionaries never need aliases, so this loader refuses them, along with files larger
than ``max_bytes``, nesting deeper than ``max_depth`` and duplicate keys (PyYAML silently keeps
the last one). Every refusal is a :class:`YAMLInputError` of the form ``"<file>, line <n>:
<reason>"``.

:func:`load_with_lines` also returns where each value was written, so a stage's validation
message can point to the line of the key it rejects.

Example
-------
>>> from discourse.yaml_safe import load_text, load_with_lines
>>> load_text("corpus: débats\\nfréquence: Y\\n")
{'corpus': 'débats', 'fréquence': 'Y'}
>>> data, where = load_with_lines("frames:\\n  counts:\\n    - freq: Y\\n")
>>> where.line("frames", "counts", 0, "freq")
3
>>> load_text("a: &x [1]\\nb: *x\\n")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
YAMLInputError: <string>, line 2: aliases (*x) are not allowed ...
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

__all__ = ["YAMLInputError", "LineMap", "load", "load_text", "read_text", "load_with_lines", "compose", "MAX_BYTES", "MAX_DEPTH"]

#: analysis files and frame dictionaries are a few kilobytes; 8 MB leaves room for big dictionaries
MAX_BYTES = 8 * 1024 * 1024
#: nesting deeper than this is refused before Python's recursion limit is reached
MAX_DEPTH = 64


class YAMLInputError(ValueError):
    """A YAML file or text refused by the safe loader (malformed, too large, aliases, duplicates)."""


def _where(source: str, mark: Any) -> str:
    return f"{source}, line {mark.line + 1}" if mark is not None else source


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, deep nesting and duplicate keys."""

    max_depth = MAX_DEPTH  # overridden per loader
    source = "<string>"

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YAMLInputError(f"{_where(self.source, event.start_mark)}: aliases (*{event.anchor}) are not allowed "
                                 "in this file; write the value out where it is needed")
        self._depth += 1
        if self._depth > self.max_depth:
            raise YAMLInputError(f"{_where(self.source, self.peek_event().start_mark)}: nested more than "
                                 f"{self.max_depth} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YAMLInputError(f"{_where(self.source, key_node.start_mark)}: merge keys (<<) are not allowed")
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise YAMLInputError(f"{_where(self.source, key_node.start_mark)}: a key must be a plain value")
            if key in seen:
                raise YAMLInputError(f"{_where(self.source, key_node.start_mark)}: duplicate key {key!r} "
                                     f"(first at line {seen[key]})")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _check_size(text: str | bytes, source: str, max_bytes: int | None) -> str:
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise YAMLInputError(f"{source}: {size:,} bytes, over the limit of {max_bytes:,} for a YAML file")
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise YAMLInputError(f"{source}: not UTF-8 text (byte {err.start})") from None
    return text


def _loader(text: str, source: str, max_depth: int | None) -> _BoundedLoader:
    loader = _BoundedLoader(text)
    loader.source = source
    loader.max_depth = MAX_DEPTH if max_depth is None else max_depth
    return loader


def _yaml_error(err: yaml.YAMLError, source: str) -> YAMLInputError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    reason = getattr(err, "problem", None) or str(err)
    context, cmark = getattr(err, "context", None), getattr(err, "context_mark", None)
    if context and cmark is not None and mark is not None and cmark.line != mark.line:
        reason += f" ({context} started at line {cmark.line + 1})"
    return YAMLInputError(f"{_where(source, mark)}: malformed YAML: {reason}")


def compose(text: str | bytes, source: str = "<string>", *, max_bytes: int | None = None,
            max_depth: int | None = None) -> yaml.Node | None:
    """The YAML node tree of ``text`` (``None`` for an empty document), with the loader's limits.

    For readers that walk nodes to report lines themselves (frame dictionaries).

    >>> compose("cadre: état de droit\\n").value[0][1].value
    'état de droit'
    """
    text = _check_size(text, source, max_bytes)
    loader = _loader(text, source, max_depth)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as err:
        raise _yaml_error(err, source) from None
    except RecursionError:
        raise YAMLInputError(f"{source}: nested too deeply") from None
    finally:
        loader.dispose()


def _construct(node: yaml.Node | None, text: str, source: str, max_depth: int | None) -> Any:
    if node is None:
        return None
    loader = _loader(text, source, max_depth)
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as err:
        raise _yaml_error(err, source) from None
    finally:
        loader.dispose()


def load_text(text: str | bytes, source: str = "<string>", *, max_bytes: int | None = None,
              max_depth: int | None = None) -> Any:
    """Python data from YAML ``text`` (plain types only; aliases refused; ``source`` names it in errors).

    >>> load_text("mots: [état, droit]")
    {'mots': ['état', 'droit']}
    """
    node = compose(text, source, max_bytes=max_bytes, max_depth=max_depth)
    return _construct(node, text if isinstance(text, str) else text.decode("utf-8"), source, max_depth)


def _read(path: str | Path, max_bytes: int | None) -> bytes:
    path = Path(path)
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YAMLInputError(f"{path}: {size:,} bytes, over the limit of {max_bytes:,} for a YAML file")
        return path.read_bytes()
    except IsADirectoryError:
        raise YAMLInputError(f"{path}: is a folder, not a YAML file") from None
    except OSError as err:
        raise YAMLInputError(f"{path}: cannot read ({err.strerror})") from None


def read_text(path: str | Path, *, max_bytes: int | None = None) -> str:
    """The UTF-8 text of the file ``path``, its size checked before it is read.

    >>> read_text("cadres.yaml").splitlines()[0]  # doctest: +SKIP
    'frames:'
    """
    return _check_size(_read(path, max_bytes), str(path), max_bytes)


def load(path: str | Path, *, max_bytes: int | None = None, max_depth: int | None = None) -> Any:
    """Python data from the YAML file ``path`` (size checked before reading; errors name file and line).

    >>> load("analyse.yaml")  # doctest: +SKIP
    {'corpus': {'name': 'an_debats_2013_2018'}, ...}
    """
    return load_text(_read(path, max_bytes), str(path), max_bytes=max_bytes, max_depth=max_depth)


class LineMap:
    """Where each value of a loaded YAML document was written (1-based lines).

    Keys are paths of mapping keys and list indices: ``where.line("frames", "counts", 0)``.
    """

    def __init__(self, source: str, lines: dict[tuple, int]) -> None:
        self.source = source
        self._lines = lines

    def line(self, *path: Any) -> int | None:
        """Line of the value at ``path``, or of its nearest enclosing value that was found."""
        path = tuple(path)
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path)

    def key_line(self, *path: Any) -> int | None:
        """Line of the key that introduces the value at ``path`` (where a message should point)."""
        return self._lines.get(("<key>", *path)) or self.line(*path)

    def where(self, *path: Any) -> str:
        """``"<file>, line <n>"`` for the value at ``path`` (for error messages)."""
        line = self.key_line(*path)
        return f"{self.source}, line {line}" if line is not None else self.source

    def __repr__(self) -> str:
        return f"LineMap({self.source!r}, {len(self._lines)} values)"


def _index(node: yaml.Node, path: tuple, lines: dict[tuple, int], loader: _BoundedLoader) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            lines[("<key>", *path, key)] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), lines, loader)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines, loader)


def load_with_lines(text_or_path: str | Path, source: str | None = None, *, max_bytes: int | None = None,
                    max_depth: int | None = None) -> tuple[Any, LineMap]:
    """``(data, LineMap)`` from a YAML file (a :class:`~pathlib.Path`) or YAML text (a ``str``).

    >>> data, where = load_with_lines("corpus:\\n  nom: débats\\n")
    >>> where.where("corpus", "nom")
    '<string>, line 2'
    """
    if isinstance(text_or_path, Path):
        source = source or str(text_or_path)
        text = _check_size(_read(text_or_path, max_bytes), source, max_bytes)
    else:
        source = source or "<string>"
        text = _check_size(text_or_path, source, max_bytes)
    node = compose(text, source, max_bytes=max_bytes, max_depth=max_depth)
    data = _construct(node, text, source, max_depth)  # first: it refuses duplicate and unhashable keys
    lines: dict[tuple, int] = {}
    if node is not None:
        loader = _loader(text, source, max_depth)
        try:
            _index(node, (), lines, loader)
        finally:
            loader.dispose()
    return data, LineMap(source, lines)
