"""French rules: normalisation, tokenisation, stop words, expressions, fast lemmatisation.

Each module reads its data from text files in this folder, so the lists can be read,
reviewed and extended without touching code:

- ``abbreviations.txt``: abbreviations that keep their period (``M.``, ``art.``, ``etc.``);
- ``stop_words.txt`` (default), ``stop_words_parliament.txt``, ``stop_words_newswire.txt``;
- ``expressions.tsv``: the multiword lexicon (canonical lemma, variants, category);
- ``aliases.tsv``: variant → canonical entity (``ONU`` → ``Nations unies``);
- ``lemma_exceptions.tsv``: forms whose lemma we fix by hand (after checks on UD French-GSD dev);
- ``lemma_context.tsv``: readings of ambiguous forms in context, learnt (``scripts/learn_lemma_context.py``);
- ``ligatures.txt``: words written with « œ » / « æ », to restore the ligature in lemmas.

>>> from discourse.lang.fr import normalize, tokenize
>>> normalize("L’UE")
"L'UE"
>>> [t.text for t in tokenize(normalize("l’état de droit"))]
["l'", 'état', 'de', 'droit']
"""

from discourse.lang.fr.normalize import fold_ligatures, normalize, normalize_with_map, OffsetMap
from discourse.lang.fr.tokenize import tokenize, RawToken

__all__ = ["normalize", "normalize_with_map", "fold_ligatures", "OffsetMap", "tokenize", "RawToken"]
