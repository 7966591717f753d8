"""The paper style: figure sizes, a colour-blind-safe palette, embedded fonts, French numbers.

Every figure of the library goes through this module, so a topic or a frame keeps one colour
in every figure and a figure saved for a paper has fonts embedded and a fixed size.

Example
-------
>>> from discourse import plot
>>> with plot.style("paper", locale="fr"):
...     fig, ax = plot.subplots(columns=1)
...     _ = ax.plot([0.5, 1.5], [1, 2])
...     plot.format_numbers(ax.yaxis)
...     ax.yaxis.get_major_formatter()(1.5, 0)
'1,5'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

__all__ = [
    "ONE_COLUMN",
    "TWO_COLUMN",
    "OKABE_ITO",
    "TOL_MUTED",
    "PALETTE",
    "style",
    "figsize",
    "subplots",
    "savefig",
    "topic_colors",
    "frame_colors",
    "group_colors",
    "topic_label",
    "topic_number",
    "typographic",
    "french_key",
    "FRAME_PALETTE",
    "label",
    "format_numbers",
    "format_number",
    "current_locale",
]

# Widths in inches of a one-column and a two-column figure in most journals (A4/letter, 2 columns).
ONE_COLUMN = 3.5
TWO_COLUMN = 7.2

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
# deficiencies. Black is kept out of the categorical list (it is the text colour).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
# Paul Tol's "muted" scheme, also colour-blind safe: used after the seven Okabe–Ito colours.
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]
# Okabe–Ito's yellow is hard to see on white: it comes last. After the six other Okabe–Ito
# colours come Tol's, those least like a blue first (wine, olive), so that any eight
# consecutive topics are told apart (never three blues side by side).
PALETTE = [c for c in OKABE_ITO if c != "#F0E442"] + [
    "#882255", "#999933", "#332288", "#44AA99", "#DDCC77", "#CC6677", "#AA4499", "#117733", "#88CCEE"] + ["#F0E442"]
# The frames of the default dictionary, in its order, each with its own colour (rule_of_law
# blue, multilateralism orange, counter_terrorism green, violent_extremism pink, human_rights
# sky blue, sovereignty wine, security_threat olive, state_of_emergency vermillion): the frames
# drawn together in the examples never share a hue. Other frames take PALETTE after these.
FRAME_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#882255", "#999933", "#D55E00"]
# Diverging colour map for signed scores (specificities); blue–orange is colour-blind safe.
DIVERGING_CMAP = "PuOr_r"
SEQUENTIAL_CMAP = "viridis"

_PAPER_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    # DejaVu Sans ships with matplotlib and covers every French letter (é, è, à, ç, œ, É, « »).
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "figure.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    # TrueType (Type 42) fonts embedded in PDF/PS: editable text, no Type 3 bitmaps.
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    # Glyphs as paths in SVG: the figure looks the same on a machine without DejaVu Sans.
    "svg.fonttype": "path",
    # Fixed ids inside SVG files so that saving twice gives the same file.
    "svg.hashsalt": "discourse",
    "axes.unicode_minus": True,
    "figure.constrained_layout.use": True,
}

_NOTEBOOK_RC = {**_PAPER_RC, "font.size": 10, "axes.titlesize": 10, "axes.labelsize": 10,
                "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 9, "figure.dpi": 110}

_STYLES = {"paper": _PAPER_RC, "notebook": _NOTEBOOK_RC}
_LOCALES = ("en", "fr")

# Module state: the locale chosen by the last ``style(...)`` call (plots read it by default).
_state: dict[str, str] = {"locale": "en"}


class style:  # noqa: N801 - used like a function: plot.style("paper")
    """Apply a figure style: ``"paper"`` (8 pt text, journal widths) or ``"notebook"``.

    Calling it applies the style at once; using it in a ``with`` block restores the previous
    settings at the end. ``locale="fr"`` makes the library's plots write numbers with a decimal
    comma and a thin space between thousands, and label axes in French.

    >>> from discourse import plot
    >>> with plot.style("paper", locale="fr"):
    ...     plot.current_locale()
    'fr'
    """

    def __init__(self, name: str = "paper", *, locale: str = "en", rc: dict[str, Any] | None = None) -> None:
        if name not in _STYLES:
            raise ValueError(f"style name must be one of {sorted(_STYLES)}, not {name!r}")
        if locale not in _LOCALES:
            raise ValueError(f"locale must be one of {list(_LOCALES)}, not {locale!r}")
        self.name = name
        self.locale = locale
        self._saved_rc = mpl.rcParams.copy()
        self._saved_locale = _state["locale"]
        mpl.rcParams.update(_STYLES[name])
        if rc:
            mpl.rcParams.update(rc)
        _state["locale"] = locale

    def __enter__(self) -> style:
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Put back the settings that were in force before this style was applied."""
        # rcParams.update warns on deprecated keys carried in the copy: set silently.
        with mpl._api.suppress_matplotlib_deprecation_warning():
            mpl.rcParams.update(self._saved_rc)
        _state["locale"] = self._saved_locale

    def __repr__(self) -> str:
        return f"style({self.name!r}, locale={self.locale!r})"


def current_locale(locale: str | None = None) -> str:
    """The locale to use: the one given, else the one set by the last :class:`style`."""
    if locale is None:
        return _state["locale"]
    if locale not in _LOCALES:
        raise ValueError(f"locale must be one of {list(_LOCALES)}, not {locale!r}")
    return locale


def figsize(columns: int | float = 1, aspect: float = 0.62, height: float | None = None) -> tuple[float, float]:
    """Width and height in inches: ``columns=1`` is 3.5 in, ``columns=2`` is 7.2 in.

    >>> figsize(2, aspect=0.5)
    (7.2, 3.6)
    """
    if columns == 1:
        width = ONE_COLUMN
    elif columns == 2:
        width = TWO_COLUMN
    elif isinstance(columns, (int, float)) and columns > 0:
        width = float(columns) * ONE_COLUMN
    else:
        raise ValueError(f"columns must be 1, 2 or a positive number, not {columns!r}")
    return (width, round(height if height is not None else width * aspect, 3))


def subplots(nrows: int = 1, ncols: int = 1, *, columns: int | float = 1, aspect: float = 0.62,
             height: float | None = None, **kwargs: Any) -> tuple[Figure, Any]:
    """``plt.subplots`` at a paper width (one or two columns)."""
    return plt.subplots(nrows, ncols, figsize=figsize(columns, aspect, height), **kwargs)


def savefig(fig: Figure, path_stem: str | Path, formats: Sequence[str] = ("pdf", "png", "svg"), dpi: int = 300) -> list[Path]:
    """Save a figure once per format (``path_stem`` + ``.pdf``/``.png``/``.svg``); return the paths.

    PDF and SVG are vector files with fonts embedded; PNG is rendered at ``dpi``. Creation
    dates are left out of the files so that saving the same figure twice gives the same bytes.

    >>> import matplotlib.pyplot as plt, tempfile, pathlib
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Fréquence de « état de droit »")
    >>> paths = savefig(fig, pathlib.Path(tempfile.mkdtemp()) / "exemple", formats=("pdf", "png"))
    >>> [p.suffix for p in paths]
    ['.pdf', '.png']
    """
    allowed = ("pdf", "png", "svg")
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        fmt = fmt.lower().lstrip(".")
        if fmt not in allowed:
            raise ValueError(f"figure format must be one of {list(allowed)}, not {fmt!r}")
        metadata: dict[str, Any]
        if fmt == "pdf":
            metadata = {"CreationDate": None, "ModDate": None, "Creator": "discourse", "Producer": "discourse"}
        elif fmt == "svg":
            metadata = {"Date": None, "Creator": "discourse"}
        else:
            metadata = {"Software": "discourse"}
        path = stem.with_name(stem.name + "." + fmt)
        with mpl.rc_context({"pdf.fonttype": 42, "svg.hashsalt": "discourse"}):
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------- colours
_TRAILING_INT = re.compile(r"(\d+)$")


def _topic_index(topic: Any, position: int) -> int:
    """The integer a topic id stands for (``3``, ``"3"``, ``"T03"`` → 3); else its position."""
    if isinstance(topic, (int,)) and not isinstance(topic, bool):
        return int(topic)
    try:
        import numpy as np

        if isinstance(topic, np.integer):
            return int(topic)
    except ImportError:  # pragma: no cover
        pass
    m = _TRAILING_INT.search(str(topic))
    return int(m.group(1)) if m else position


def topic_colors(topic_ids: Iterable[Any]) -> dict[Any, str]:
    """One colour per topic id, the same in every figure.

    The colour depends on the topic id itself, not on which other topics are drawn, so
    topic 3 has one colour in the top-terms grid, the prevalence plot and the map.

    >>> topic_colors([0, 1, 2])
    {0: '#0072B2', 1: '#E69F00', 2: '#009E73'}
    >>> topic_colors([2])[2] == topic_colors([0, 1, 2])[2]
    True
    """
    ids = list(topic_ids)
    return {t: PALETTE[_topic_index(t, i) % len(PALETTE)] for i, t in enumerate(ids)}


def frame_colors(frames: Iterable[Any], order: Sequence[Any] | None = None) -> dict[Any, str]:
    """One colour per frame, the same in every figure.

    A frame's colour is fixed by its place in ``order`` — by default the frame list of the
    default dictionary (``FrameDictionary.default().frame_names``) — so ``state_of_emergency``
    has one colour whether it is drawn alone or with others. Frames not in ``order`` take the
    next colours, in the order given.

    >>> frame_colors(["multilateralism"])["multilateralism"] == frame_colors(["rule_of_law", "multilateralism"])["multilateralism"]
    True
    >>> frame_colors(["a", "b"], order=["a", "b"])["b"]
    '#E69F00'
    """
    names = list(dict.fromkeys(frames))
    if order is None:
        order = _default_frame_order()
    order = list(dict.fromkeys(order))
    colours = FRAME_PALETTE + [c for c in PALETTE if c not in FRAME_PALETTE]
    out: dict[Any, str] = {}
    extra = len(order)
    for f in names:
        if f in order:
            out[f] = colours[order.index(f) % len(colours)]
        else:
            out[f] = colours[extra % len(colours)]
            extra += 1
    return out


def _default_frame_order() -> list[str]:
    try:
        from discourse.frames import FrameDictionary

        return list(FrameDictionary.default().frame_names)
    except Exception:  # no frames stage installed: colours follow the order given
        return []


def group_colors(groups: Iterable[Any]) -> dict[Any, str]:
    """One colour per group (party, source), in the order given."""
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(dict.fromkeys(groups))}


def topic_label(topic: Any, locale: str | None = None, names: dict[Any, str] | None = None) -> str:
    """How a topic is written in titles, legends and ticks, numbered from 1.

    Its name when ``names`` has one (the ``name`` column of the topic tables, e.g.
    ``"T3 · transport · directive · nucléaire"``), else ``"Topic 3"`` / ``"Thème 3"`` for the
    topic id 2 (ids count from 0 in tables, topics from 1 in figures).

    >>> topic_label(2), topic_label(2, "fr"), topic_label(2, names={2: "T3 · transport"})
    ('Topic 3', 'Thème 3', 'T3 · transport')
    """
    if names and topic in names and isinstance(names[topic], str) and names[topic]:
        return typographic(names[topic], locale)
    word = "Thème" if current_locale(locale) == "fr" else "Topic"
    text = str(topic)
    return text if not text.isdigit() else f"{word} {int(text) + 1}"


def topic_number(topic: Any) -> str:
    """The number a topic carries in figures: id + 1 (``"T3"`` for id 2); other ids unchanged."""
    text = str(topic)
    return f"T{int(text) + 1}" if text.isdigit() else text


def typographic(text: str, locale: str | None = None) -> str:
    """French figures get typographic apostrophes (``l’état``, not ``l'état``).

    >>> typographic("État d'urgence", "fr"), typographic("State of emergency", "en")
    ('État d’urgence', 'State of emergency')
    """
    text = str(text)
    return text.replace("'", "\u2019") if current_locale(locale) == "fr" else text


# ---------------------------------------------------------------------- labels and numbers
_LABELS: dict[str, dict[str, str]] = {
    "rate_per_10k": {"en": "Rate per 10,000 tokens", "fr": "Fréquence pour 10 000 mots"},
    "prevalence": {"en": "Topic prevalence", "fr": "Prévalence du thème"},
    "proportion": {"en": "Topic proportion", "fr": "Proportion du thème"},
    "weight": {"en": "Probability in topic, p(term | topic)", "fr": "Probabilité dans le thème, p(terme | thème)"},
    "relevance": {"en": "Relevance", "fr": "Pertinence"},
    "score": {"en": "Score", "fr": "Score"},
    "keyness": {"en": "Keyness", "fr": "Keyness"},
    # G² and χ² are keyness tests, not Lafon's « spécificités » (see "specificity")
    "g2": {"en": "Keyness: log-likelihood G²", "fr": "Keyness : log-vraisemblance G²"},
    "chi2": {"en": "Keyness: χ²", "fr": "Keyness : χ²"},
    "log_ratio": {"en": "Log ratio (log₂ of relative frequencies)", "fr": "Log ratio (log₂ des fréquences relatives)"},
    "lrc": {"en": "Conservative log ratio (LRC)", "fr": "Log ratio prudent (LRC)"},
    "specificity": {"en": "Specificity (signed log10 p)", "fr": "Spécificité (log10 p signé)"},
    "date": {"en": "Date", "fr": "Date"},
    "period": {"en": "Period", "fr": "Période"},
    "n_topics": {"en": "Number of topics K", "fr": "Nombre de thèmes K"},
    "document": {"en": "Document", "fr": "Document"},
    "topic": {"en": "Topic", "fr": "Thème"},
    "frame": {"en": "Frame", "fr": "Cadre"},
    "term": {"en": "Term", "fr": "Terme"},
    "dimension_1": {"en": "Dimension 1", "fr": "Dimension 1"},
    "dimension_2": {"en": "Dimension 2", "fr": "Dimension 2"},
    "target": {"en": "target", "fr": "cible"},
    "reference": {"en": "reference", "fr": "référence"},
    "doc_share": {"en": "Share of documents", "fr": "Part des documents"},
    "count": {"en": "Count", "fr": "Occurrences"},
}


def label(key: str, locale: str | None = None) -> str:
    """The axis label for a table column in the current locale (the key itself if unknown).

    >>> label("rate_per_10k", "fr")
    'Fréquence pour 10 000 mots'
    """
    entry = _LABELS.get(key)
    if entry is None:
        return typographic(key.replace("_", " "), locale)
    return entry[current_locale(locale)]


def french_key(text: Any) -> tuple[str, str]:
    """Sort key in French dictionary order: accents and case ignored first (« État » with
    « état », before « Europe »), then used to break ties.

    >>> sorted(["Europe", "État", "école", "Zone"], key=french_key)
    ['école', 'État', 'Europe', 'Zone']
    """
    import unicodedata

    s = str(text)
    base = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return (base.casefold().replace("œ", "oe").replace("æ", "ae"), s)


def format_number(value: float, locale: str | None = None, decimals: int | None = None) -> str:
    """Write a number as a reader of that locale expects (``1 234,5`` in French).

    >>> format_number(1234.5, "fr"), format_number(1234.5, "en")
    ('1\\u202f234,5', '1,234.5')
    """
    loc = current_locale(locale)
    if decimals is None:
        text = f"{value:,.6f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,d}"
    else:
        text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # "-0", "-0.0": a value that rounds to zero has no sign
    if loc == "fr":
        # narrow no-break space between thousands (French typography), comma as decimal mark
        text = text.replace(",", "\u202f").replace(".", ",")
    return text.replace("-", "\u2212")


def format_numbers(axis: Axis, locale: str | None = None) -> None:
    """Set a tick formatter on one numeric axis that writes numbers in the locale's style.

    Ticks keep matplotlib's choice of positions; only their text changes.
    """
    loc = current_locale(locale)

    def fmt(value: float, _pos: int | None = None) -> str:
        # round to the precision matplotlib's ticks need, then write in the locale
        rounded = round(float(value), 6)
        return format_number(rounded, loc)

    axis.set_major_formatter(FuncFormatter(fmt))


_MONTHS_FR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_dates(axis: Axis, span_days: float, locale: str | None = None) -> None:
    """Year ticks for long spans, month ticks (French or English names) for short ones."""
    import matplotlib.dates as mdates

    loc = current_locale(locale)
    months = _MONTHS_FR if loc == "fr" else _MONTHS_EN
    if span_days > 3 * 365:
        axis.set_major_locator(mdates.YearLocator())
        axis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        interval = 1 if span_days <= 200 else 3 if span_days <= 800 else 6
        axis.set_major_locator(mdates.MonthLocator(interval=interval))

        def fmt(value: float, _pos: int | None = None) -> str:
            d = mdates.num2date(value)
            return f"{months[d.month - 1]} {d.year}"

        axis.set_major_formatter(FuncFormatter(fmt))


def as_datetime(values: pd.Series) -> pd.Series | None:
    """The values as datetimes if they are dates or periods, else None (no parsing of text)."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return None
