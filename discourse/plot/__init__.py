"""Publication figures from the library's tables.

Every function takes a table returned by an earlier stage (topic models, frame counts,
keyness, specificities, concordances), draws it and returns the matplotlib Figure or Axes;
none computes a statistic. Functions that draw one panel take ``ax=``. Topic ids and colours
are the same in every figure (:func:`topic_colors`).

>>> from discourse import plot
>>> with plot.style("paper", locale="fr"):
...     plot.label("rate_per_10k")
'Fréquence pour 10 000 mots'
"""

from __future__ import annotations

from discourse.plot.frames import frame_labels, frame_rates, frames_by_group
from discourse.plot.lexicometry import cooccurrence_network, keyness, kwic_table, specificities
from discourse.plot.style import (
    ONE_COLUMN,
    OKABE_ITO,
    PALETTE,
    TOL_MUTED,
    TWO_COLUMN,
    current_locale,
    figsize,
    format_number,
    format_numbers,
    FRAME_PALETTE,
    frame_colors,
    french_key,
    group_colors,
    label,
    savefig,
    style,
    subplots,
    topic_colors,
    topic_label,
    topic_number,
    typographic,
)
from discourse.plot.textometry import ca_biplot, class_table, reinert_dendrogram, similarity_tree
from discourse.plot.scaling import effect_contrast, effect_curve, positions, term_drift, word_weights
from discourse.plot.topics import doc_topic_heatmap, intertopic_map, metrics_by_k, top_terms, topic_prevalence
from discourse.plot._common import PlotInputError

__all__ = [
    "ONE_COLUMN", "TWO_COLUMN", "OKABE_ITO", "TOL_MUTED", "PALETTE", "FRAME_PALETTE", "PlotInputError",
    "style", "figsize", "subplots", "savefig", "topic_colors", "frame_colors", "group_colors", "topic_label", "label",
    "topic_number", "typographic", "french_key", "frame_labels",
    "format_number", "format_numbers", "current_locale",
    "top_terms", "topic_prevalence", "doc_topic_heatmap", "metrics_by_k", "intertopic_map",
    "frame_rates", "frames_by_group",
    "keyness", "specificities", "cooccurrence_network", "kwic_table",
    "reinert_dendrogram", "ca_biplot", "class_table", "similarity_tree",
    "positions", "word_weights", "effect_contrast", "effect_curve", "term_drift",
]
