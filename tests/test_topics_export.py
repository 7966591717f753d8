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
