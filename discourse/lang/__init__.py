"""Language rules, one sub-package per language (only French, :mod:`discourse.lang.fr`, so far).

Like spaCy's ``lang/`` folders, each language keeps its rules as data files (lists, tables)
next to small functions that read them.
"""
