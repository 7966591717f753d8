"""The 2013 Assemblée nationale debate on marriage for same-sex couples: one document per speech turn.

The TEI files (``xml/<sitting>.xml``) hold one ``<sp who="...">`` per turn, with the
speaker's name in ``<speaker>`` and the paragraphs inside an ``mpt:metadata`` element whose
``interventiontype`` says what the turn is: "intervention", "interruption" or "régulation"
(the chair running the sitting). The text of a turn is its paragraphs, one a line, without
the stage directions (``mpt:interruption``: applause, exclamations), which are counted in
``reactions``. The converter left a ". " at the start of some first paragraphs (the end of
"M. le président."); it is removed.

Metadata of a turn:

``sitting``, ``date``, ``sitting_title``
    the sitting file id, its date and title, from ``metadata.csv``.
``section``
    the title (``<head>``) of the innermost division holding the turn, e.g. "Questions au Gouvernement".
``speaker``, ``speaker_id``, ``speaker_heading``
    the name (from the TEI ``who`` attribute, e.g. "Christiane Taubira"), the attribute
    itself ("Christiane_Taubira") and the heading as printed ("Christiane Taubira, garde
    des Sceaux.").
``deputy_id``, ``group``, ``sex``, ``vote``
    from ``deputes_id.json`` when the name is that of a deputy in the list (group is the
    parliamentary group UMP, SRC, UDI, ECOLO, GDR, RRDP or NI; vote is the final vote
    "pour"/"contre"). Collective turns ("Plusieurs députés du groupe UMP") get the group
    named in them. The chair, ministers and the few deputies absent from the list have no
    group (NA); ``role`` says which case a turn is: "deputy", "deputies" (collective),
    "chair" or "other" (ministers and unlisted speakers).
``turn_type``
    ``interventiontype`` from ``mpt:metadata``. There is no ``label`` column: the debate is
    about one bill, so no topic class exists (``section`` names the article under debate).

>>> from discourse import corpora
>>> mpt = corpora.load("an-mariage-pour-tous-2013")                  # doctest: +SKIP
>>> mpt.filter(group="UMP", turn_type="intervention")                 # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd

from discourse.corpus import Corpus, CorpusError

TEI = "{http://www.tei-c.org/ns/1.0}"
MPT = "{http://mpt.ethelred.fr/ns/0.0/}"
_COLLECTIVE = re.compile(r"^(?:plusieurs|de nombreux|un|une|des|quelques)\s+député", re.IGNORECASE)
_GROUP_IN_NAME = re.compile(r"\bdu groupe\s+(\w[\w-]*)\W*$", re.IGNORECASE)
_CHAIR = re.compile(r"^(?:m\.\s+)?(?:l[ea]|madame la|monsieur le)\s+président(?:e)?$", re.IGNORECASE)
_GROUP_ALIASES = {"écologiste": "ECOLO"}
_SPACE_BEFORE_STOP = re.compile(r" (?=[,.](?:\s|$))")


def _paragraph_text(p: ET.Element) -> tuple[str, int]:
    """Text of a paragraph without stage directions, and how many stage directions it held."""
    parts: list[str] = []
    reactions = 0

    def walk(el: ET.Element) -> None:
        nonlocal reactions
        if el.tag == MPT + "interruption":
            reactions += 1
        elif el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(p)
    text = " ".join("".join(parts).split())  # str.split is ~10x faster than re.sub(r"\s+") here
    if reactions and (" ," in text or " ." in text):
        # Removing a stage direction leaves "manifesté , les": French puts no space before , or .
        text = _SPACE_BEFORE_STOP.sub("", text)
    return text, reactions


def _sittings(folder: Path) -> dict[str, dict[str, Any]]:
    frame = pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
    return {row["id"]: row for row in frame.to_dict("records")}


def _deputies(folder: Path) -> dict[str, dict[str, Any]]:
    raw = json.loads((folder / "deputes_id.json").read_text(encoding="utf-8"))
    return {record["nom"].strip(): {"deputy_id": key, **record} for key, record in raw.items()}


def deputies(folder: str | Path) -> pd.DataFrame:
    """The deputies of ``deputes_id.json``: ``deputy_id``, ``name``, ``group``, ``sex``, ``vote``.

    >>> deputies(corpora.data_home() / "an-mariage-pour-tous-2013").set_index("deputy_id").loc["1001", "group"]  # doctest: +SKIP
    'UMP'
    """
    rows = [{"deputy_id": r["deputy_id"], "name": name, "group": r["groupe"], "sex": r["sexe"], "vote": r["vote"]}
            for name, r in _deputies(Path(folder)).items()]
    return pd.DataFrame(rows, columns=["deputy_id", "name", "group", "sex", "vote"])


def parse_sitting(path: str | Path, sitting: dict[str, Any], deputies: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Speech turns of one TEI sitting file, as records (text and metadata)."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise CorpusError(f"{path.name}: not well-formed XML ({exc})") from exc
    sitting_id = path.stem
    records: list[dict[str, Any]] = []
    n = 0

    def visit(el: ET.Element, section: str | None) -> None:
        nonlocal n
        for child in el:
            if child.tag == TEI + "div":
                head = child.find(TEI + "head")
                title = " ".join("".join(head.itertext()).split()) if head is not None else section
                visit(child, title)
            elif child.tag == TEI + "sp":
                n += 1
                records.append(_turn(child, n, section))
            else:
                visit(child, section)

    def _turn(sp: ET.Element, number: int, section: str | None) -> dict[str, Any]:
        who = sp.get("who") or ""
        speaker_el = sp.find(TEI + "speaker")
        speaker = " ".join("".join(speaker_el.itertext()).split()) if speaker_el is not None else who.replace("_", " ").strip()
        meta = sp.find(MPT + "metadata")
        paragraphs: list[str] = []
        reactions = 0
        for p in (meta if meta is not None else sp).iter(TEI + "p"):
            text, r = _paragraph_text(p)
            reactions += r
            if text:
                paragraphs.append(text)
        if paragraphs and paragraphs[0].startswith(". "):
            paragraphs[0] = paragraphs[0][2:]
        name = who.replace("_", " ").strip()
        deputy = deputies.get(name) or deputies.get(speaker)
        group = sex = vote = deputy_id = None
        if deputy is not None:
            role = "deputy"
            deputy_id, group, sex, vote = deputy["deputy_id"], deputy["groupe"], deputy["sexe"], deputy["vote"]
        elif _CHAIR.match(name) or _CHAIR.match(speaker):
            role = "chair"
        elif _COLLECTIVE.match(speaker):
            role = "deputies"
            found = _GROUP_IN_NAME.search(speaker)
            # Only a turn naming one group gets it ("des groupes UMP et UDI" stays NA).
            if found and speaker.lower().count("groupe") == 1:
                group = _GROUP_ALIASES.get(found.group(1).lower(), found.group(1).upper())
        else:
            role = "other"
        return {
            "doc_id": f"{sitting_id}/sp{number}",
            "text": "\n".join(paragraphs),
            "sitting": sitting_id,
            "date": sitting.get("date"),
            "sitting_title": sitting.get("seance"),
            "section": section,
            "turn": number,
            "speaker": name or speaker,
            "speaker_heading": speaker,
            "speaker_id": who,
            "deputy_id": deputy_id,
            "role": role,
            "group": group,
            "sex": sex,
            "vote": vote,
            "turn_type": meta.get("interventiontype") if meta is not None else None,
            # The sittings also hold questions to the government ("qag") and another bill:
            # subject == "mpt" marks the turns on the marriage bill.
            "subject": meta.get("subject") if meta is not None else None,
            "reactions": reactions,
        }

    body = root.find(f"{TEI}text")
    visit(body if body is not None else root, None)
    return records


def load(folder: str | Path) -> Corpus:
    """Load every sitting of ``folder/xml``, one document per speech turn (see the module notes)."""
    folder = Path(folder)
    sittings = _sittings(folder)
    deputies = _deputies(folder)
    records: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    files = sorted((folder / "xml").glob("*.xml"))
    if not files:
        raise CorpusError(f"{folder / 'xml'}: no TEI file")
    for path in files:
        if path.stem not in sittings:
            raise CorpusError(f"{path.name}: sitting {path.stem!r} is not in metadata.csv")
        for record in parse_sitting(path, sittings[path.stem], deputies):
            if record["text"].strip():
                records.append(record)
            else:
                skipped.append((record["doc_id"], "empty speech turn (stage directions only)" if record["reactions"] else "empty speech turn"))
    frame = pd.DataFrame.from_records(records)
    texts = frame.pop("text").tolist()
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    step = (f"corpora.load('an-mariage-pour-tous-2013') from {folder}: {len(files)} sittings -> "
            f"{len(texts)} speech turns, {len(skipped)} skipped")
    return Corpus(texts, frame, name="an-mariage-pour-tous-2013", history=(step,),
                  skipped=pd.DataFrame(skipped, columns=["doc_id", "reason"]).astype(object))
