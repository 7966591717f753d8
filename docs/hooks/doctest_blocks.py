"""Griffe extension: show doctest examples as code in the API reference.

Docstrings of this project put ``>>>`` examples under headings such as ``Example`` or right
after the summary. Markdown would read their output (``['SRC', 'UMP']``) as link
references. This extension fences every doctest block that is not already inside a numpy
``Examples`` section (which griffe renders as code itself).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")


def fence_doctests(text: str) -> str:
    """Wrap each run of ``>>>`` lines (and their output, up to a blank line) in a ``pycon`` fence."""
    lines = text.split("\n")
    out: list[str] = []
    section = ""
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]) and stripped:
            section = stripped.lower()
        if not in_fence and stripped.startswith(">>>") and section != "examples":
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out.append(f"{indent}```pycon")
            out.extend(block)
            out.append(f"{indent}```")
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class FenceDoctests(griffe.Extension):
    """Fence doctest blocks of every docstring once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
