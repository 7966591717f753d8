"""Moved to :mod:`discourse.patterns.dictionary` (below both frames and lexicometry); this path keeps importing.

``discourse.frames.dictionary`` is the same module object, so private names and monkeypatching still work.
"""

import sys as _sys

from discourse.patterns import dictionary as _moved

_sys.modules[__name__] = _moved
