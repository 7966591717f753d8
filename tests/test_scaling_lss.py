"""discourse.scaling.lss: latent semantic scaling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from discourse import storage
from discourse.dtm import DocumentTermMatrix
from discourse.scaling import LSS


def _two_worlds(seed: int = 0) -> DocumentTermMatrix:
    """Documents of two kinds sharing no word but 'loi': 'famille' co-occurs with 'enfant',
    'filiation', 'père'; 'égalité' with 'amour', 'droit', 'couple'."""
    rng = np.random.default_rng(seed)
    left, right = ["famille", "enfant", "filiation", "père"], ["égalité", "amour", "droit", "couple"]
    vocab = sorted(left + right + ["loi"])
    rows, kinds = [], []
    for i in range(80):
        words = left if i % 2 == 0 else right
        row = np.zeros(len(vocab), dtype=np.int64)
        for w in words:
            row[vocab.index(w)] = rng.poisson(3) + 1
        row[vocab.index("loi")] = rng.poisson(2)
        rows.append(row)
        kinds.append("gauche" if i % 2 == 0 else "droite")
    ids = [f"phrase{i}" for i in range(80)]
    return DocumentTermMatrix(sp.csr_matrix(np.array(rows)), vocab, ids, pd.DataFrame({"doc_id": ids, "kind": kinds}))


def test_lss_extends_the_seeds_to_their_co_occurring_words(tmp_path: Path) -> None:
    dtm = _two_worlds()
    with pytest.warns(UserWarning, match=r"1 seed words are not in the vocabulary.*'absent'"):
        lss = LSS(k=2, random_state=0).fit(dtm, (["égalité"], ["famille", "absent"]))
    assert lss.missing_seeds_ == ["absent"] and lss.seeds_ == {"égalité": 1.0, "famille": -1.0}
    weights = lss.word_weights().set_index("term")["polarity"]
    for w in ["amour", "droit", "couple"]:
        assert weights[w] > 0.5
    for w in ["enfant", "filiation", "père"]:
        assert weights[w] < -0.5
    pos = lss.positions(dtm)
    assert list(pos.columns[:5]) == ["doc_id", "score", "se", "ci_low", "ci_high"]
    assert (pos.loc[pos.kind == "droite", "score"] > 0).all() and (pos.loc[pos.kind == "gauche", "score"] < 0).all()
    assert pos["score"].std(ddof=1) == pytest.approx(1.0)
    again = LSS(k=2, random_state=0).fit(dtm, (["égalité"], ["famille"]))
    np.testing.assert_array_equal(again.polarity_, lss.polarity_)
    back = storage.load(lss.save(tmp_path / "lss.zip"), expected=LSS)
    pd.testing.assert_frame_equal(back.positions(dtm), pos)


def test_lss_errors_name_the_problem() -> None:
    dtm = _two_worlds()
    with pytest.raises(ValueError, match="no positive or no negative seed"):
        LSS(k=4).fit(dtm, (["absent"], ["famille"]))
    with pytest.raises(ValueError, match="k=50 must be below"):
        LSS(k=50).fit(dtm, (["égalité"], ["famille"]))
    with pytest.raises(ValueError, match="both sides"):
        LSS(k=4).fit(dtm, (["égalité"], ["égalité"]))
