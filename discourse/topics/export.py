"""An LDAvis page (pyLDAvis) that works offline: its JavaScript and CSS are copied beside the HTML.

pyLDAvis points its pages at a CDN by default; a reader without network (or an archive of the
paper's material) would see a blank page. We copy d3 and LDAvis from the installed pyLDAvis
into ``<page>_files/`` and pass those relative paths to ``prepared_data_to_html``. Topics keep
our ids (``sort_topics=False``, ``start_index=0``), so topic 3 on the page is topic 3 in the tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from discourse._optional import require
from discourse.dtm import DocumentTermMatrix
from discourse.topics.base import TopicModel

__all__ = ["to_pyldavis"]

_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
{body}
</body>
</html>
"""


def to_pyldavis(model: TopicModel, dtm: DocumentTermMatrix | None = None, path: str | Path = "ldavis.html", *, lambda_step: float = 0.01, n_terms: int = 30, title: str = "Topics", mds: str = "pcoa") -> Path:
    """Write an LDAvis page for a fitted model to ``path``, with its scripts in ``<name>_files/``.

    ``dtm`` gives document lengths and term frequencies; by default those saved with the model
    (the training matrix) are used. Returns the path of the HTML page.

    Example
    -------
    >>> to_pyldavis(lda, dtm, "out/topics.html")  # doctest: +SKIP
    """
    require("pyLDAvis", "ldavis", "the LDAvis page (to_pyldavis)")
    import pyLDAvis
    import pyLDAvis.urls as urls

    model._check_fitted()
    if dtm is not None:
        counts = model._align(dtm)
        doc_topics = model.doc_topics_ if dtm.doc_ids == model.doc_ids_ else model.transform(dtm)
        doc_lengths = np.asarray(counts.sum(axis=1)).ravel()
        term_frequency = np.asarray(counts.sum(axis=0)).ravel()
    else:
        doc_topics, doc_lengths, term_frequency = model.doc_topics_, model.doc_lengths_, model.term_counts_
    # pyLDAvis divides by term frequencies and takes logs of the topics' weights: terms absent from
    # these documents, or with no weight in any topic (absent from a sampled fit's sample), are left out
    keep = (term_frequency > 0) & (np.asarray(model.topic_terms_).sum(axis=0) > 0)
    if not keep.all():
        phi = model.topic_terms_[:, keep]
        phi = phi / phi.sum(axis=1, keepdims=True)
    else:
        phi = model.topic_terms_
    vocab = [t for t, k in zip(model.vocabulary_, keep) if k]
    if mds == "pcoa":
        # the coordinates of the static map (plot.intertopic_map), so both show the same layout
        from discourse.topics.coordinates import topic_coordinates

        xy = topic_coordinates(model)[["x", "y"]].to_numpy(dtype=float)
        mds = lambda _distributions: xy  # noqa: E731 (pyLDAvis calls mds(topic_term_dists))
    prepared = pyLDAvis.prepare(
        topic_term_dists=phi, doc_topic_dists=doc_topics, doc_lengths=doc_lengths, vocab=vocab,
        term_frequency=term_frequency[keep], R=n_terms, lambda_step=lambda_step, mds=mds,
        n_jobs=1, sort_topics=False, start_index=1,  # topics numbered from 1, as in the figures
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    assets = path.parent / f"{path.stem}_files"
    assets.mkdir(exist_ok=True)
    local = {}
    for key, source in (("d3_url", urls.D3_LOCAL), ("ldavis_url", urls.LDAVIS_LOCAL), ("ldavis_css_url", urls.LDAVIS_CSS_LOCAL)):
        shutil.copyfile(source, assets / Path(source).name)
        local[key] = f"{assets.name}/{Path(source).name}"
    body = pyLDAvis.prepared_data_to_html(prepared, template_type="simple", visid="ldavis_discourse", **local)
    path.write_text(_PAGE.format(title=title, body=body), encoding="utf-8")
    return path
