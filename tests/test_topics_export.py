"""discourse.topics.export: the offline LDAvis page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from discourse.dtm import DocumentTermMatrix
from discourse.topics import LDA, to_pyldavis
from discourse.topics.coordinates import topic_coordinates


def test_pyldavis_page_is_offline(legi_lda: LDA, legi_dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    page = to_pyldavis(legi_lda, legi_dtm, tmp_path / "vis" / "topics.html")
    html = page.read_text(encoding="utf-8")
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert len(refs) == 3
    for ref in refs:
        assert not re.match(r"^(https?:)?//", ref), ref
        assert (page.parent / ref).is_file(), ref
    assert "https://" not in html.split("<script", 1)[0] and "cdn" not in html
    # topics keep our order, numbered from 1 as in the figures (T1 = topic id 0), with our
    # prevalences and the coordinates of the static intertopic map
    start = html.index('"ldavis_discourse", ') + len('"ldavis_discourse", ')
    data, _ = json.JSONDecoder().raw_decode(html[start:])
    assert data["mdsDat"]["topics"] == [k + 1 for k in legi_lda.topic_ids_]
    assert np.allclose(np.array(data["mdsDat"]["Freq"]) / 100, legi_lda.topic_prevalence_, atol=1e-9)
    assert sorted(set(data["tinfo"]["Category"])) == ["Default"] + sorted(f"Topic{k + 1}" for k in legi_lda.topic_ids_)
    coords = topic_coordinates(legi_lda)
    assert np.allclose(data["mdsDat"]["x"], coords["x"]) and np.allclose(data["mdsDat"]["y"], coords["y"])


def test_terms_without_weight_in_any_topic_are_left_out(legi_dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    """A model fitted on a sample gives no weight to the terms its sample lacks: the page leaves
    them out (pyLDAvis would take the log of zero) and shows the others."""
    import warnings

    from discourse.engines.topics import SampledLDA

    sampled = SampledLDA(n_topics=4, sample_size=30, n_iter=30, random_state=0).fit(legi_dtm, progress=False).model_
    absent = np.asarray(sampled.topic_terms_).sum(axis=0) == 0
    assert absent.any()  # 30 articles do not hold the whole vocabulary
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        html = to_pyldavis(sampled, legi_dtm, tmp_path / "topics.html").read_text(encoding="utf-8")
    start = html.index('"ldavis_discourse", ') + len('"ldavis_discourse", ')
    data, _ = json.JSONDecoder().raw_decode(html[start:])
    shown = set(data["tinfo"]["Term"])
    assert shown and not shown & {t for t, a in zip(sampled.vocabulary_, absent) if a}
