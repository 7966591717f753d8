"""Export the small real lexical tables on which FactoMineR's CA gives the reference values.

Run once (``python scripts/export_ca_tables.py``), then ``Rscript scripts/make_ca_fixtures.R``;
both outputs are committed under ``tests/fixtures/ca/``. The tables come from the marriage
debate of the Assemblée nationale (2013, turns on the bill: ``subject == "mpt"``), fast
preprocessing:

- ``groups.csv``: parliamentary groups × the 40 most frequent lemmas (interventions of deputies);
  FactoMineR is run with NI as a supplementary row and the last 3 lemmas as supplementary columns;
- ``sittings.csv``: the first 25 sittings × the 60 most frequent lemmas (no supplementary).
"""

from __future__ import annotations

from pathlib import Path

import discourse
from discourse import corpora
from discourse.dtm import DocumentTermMatrix
from discourse.textometry import lexical_table

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ca"


def main() -> None:
    corpus = corpora.load("an-mariage-pour-tous-2013")
    corpus = corpus.filter(subject="mpt", turn_type="intervention", role="deputy")
    toks = discourse.Preprocessor(backend="fast", progress=False).transform(corpus)
    dtm = DocumentTermMatrix.from_tokens(toks, max_features=40)
    groups = lexical_table(dtm, "group")
    OUT.mkdir(parents=True, exist_ok=True)
    groups.to_csv(OUT / "groups.csv")
    dtm60 = DocumentTermMatrix.from_tokens(toks, max_features=60)
    sittings = lexical_table(dtm60, "sitting")
    sittings = sittings.iloc[:25]
    sittings = sittings.loc[:, sittings.sum(axis=0) > 0]
    sittings.to_csv(OUT / "sittings.csv")
    print(groups.shape, sittings.shape)


if __name__ == "__main__":
    main()
