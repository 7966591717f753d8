"""Moved to :mod:`discourse.patterns.match` (below both frames and lexicometry); this path keeps importing.

``discourse.frames.match`` is the same module object, so private names and monkeypatching still work.
"""

import sys as _sys

from discourse.patterns import match as _moved

_sys.modules[__name__] = _moved
