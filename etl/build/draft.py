"""Drafting, part 4: a new source's rows drafted for review, in exactly the raw tables'
formats, with a review table of how each row parses.

`draft` reads a source text (refusing one that is missing, empty, binary or not UTF-8),
reads every number in it (etl.build.draft_text), suggests indicators
(etl.build.draft_indicators) and returns the rows; `write_draft` writes them into a draft
folder (never raw/): the text byte for byte under texts/, one CSV per raw table with the
columns its schema in schemas/raw/ declares, and review.csv. Cells a person must write are
left as "TODO: ..." (`etl draft --accept` refuses them).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from etl.build.draft_events import event_names
from etl.build.draft_indicators import TODO, Suggestion, suggest
from etl.build.draft_text import DraftFigure, Reading, grammar, read_text
from etl.build.draft_units import clauses, collapse
from etl.build.draft_words import latin_id
from etl.build.settings import Settings
from etl.report.errors import UsageError
from etl.text.partners import Alias, PartnerKind, PartnerResolver
from etl.text.quotes import numbers

LANGUAGES = ("ru", "be", "en")  # those raw/sources.csv allows; be has no parsers yet
REVIEW = "review.csv"
REVIEW_FIELDS = (
    "row",
    "kind",
    "printed",
    "status",
    "value",
    "comparator",
    "lower",
    "upper",
    "multiplier",
    "unit",
    "currency",
    "period",
    "period_start",
    "period_end",
    "partners",
    "indicator",
    "indicator_method",
    "indicator_score",
    "indicator_sure",
    "indicator_why",
    "quote",
)
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_SECTION = re.compile(r"([0-9]+(?:\.[0-9]+)*)\.?\s+")


@dataclass
class Draft:
    """A new source's drafted rows, by raw table name, and its review rows."""

    source_id: str
    text_bytes: bytes
    tables: dict[str, list[dict[str, Any]]]
    review: list[dict[str, Any]] = field(default_factory=list)
    reading: Reading | None = None


def read_source(path: Path) -> tuple[bytes, str]:
    """The bytes and text of a source, or a UsageError saying what is wrong with the file."""
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise UsageError(f"{path} {what} - give the path of a source text file")
    data = path.read_bytes()
    if b"\x00" in data:
        raise UsageError(f"{path} is a binary file (it holds NUL bytes) - give a plain text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path} is not UTF-8 (byte {exc.start} is 0x{data[exc.start]:02x}) - "
            "convert it to UTF-8 first"
        ) from None
    if not text.strip():
        raise UsageError(f"{path} is empty - give a source text with its words")
    return data, text


def source_id_for(path: Path, given: str | None) -> str:
    """The source id given, or one made of the file name; it must be a valid id."""
    source_id = given if given is not None else latin_id(path.stem)
    if not _ID.fullmatch(source_id):
        raise UsageError(
            f"source id {source_id!r} is not lower-case letters, digits and hyphens - "
            "give one with --source-id"
        )
    return source_id


def guess_language(text: str) -> str:
    """ru when most letters are Cyrillic, else en."""
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    return "ru" if cyrillic * 2 > len(letters) else "en"


def _resolver(settings: Settings) -> PartnerResolver | None:
    """The partner resolver with the project's reviewed aliases (None if it has none)."""
    path = settings.raw / "partner_aliases.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    aliases = [
        Alias(r["name"], r["partner_id"], PartnerKind(r["kind"]), r["name_en"], r["name_ru"])
        for r in rows
    ]
    return PartnerResolver(aliases)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _source_row(
    source_id: str, data: bytes, text: str, language: str, reading: Reading, **given: Any
) -> dict[str, Any]:
    """The sources.csv row: what the text and the options say; the rest to write."""
    first = clauses(text)[0] if text.strip() else None
    title, section = f"{TODO}the title as printed", ""
    if first is not None and first.heading:
        heading = collapse(text[first.span.start : first.span.end])
        if match := _SECTION.match(heading):
            section, heading = match.group(1), heading[match.end() :]
        title = heading
    # The text was written after every period it names had begun.
    days = [p.period.start for p in reading.periods if p.period.start is not None]
    published: date | None = given["published"]
    row = {
        "source_id": source_id,
        "path": f"texts/{source_id}.txt",
        "sha256": hashlib.sha256(data).hexdigest(),
        "language": language,
        "title_as_printed": title,
        "title_language": language,
        "title_en": title if language == "en" and not title.startswith(TODO) else "",
        "section": section,
        "url": given["url"] or "",
        "published_precision": "day" if published else "window",
        "published_not_before": (published or max(days, default=None) or "") or "",
        "published_not_after": published or "",
        "rights": f"{TODO}the licence or terms of reuse as stated, or that the text states none",
        "rouble_currency": given["rouble"] or "",
    }
    row["title_en"] = row["title_en"] or f"{TODO}the title in English"
    return {k: str(v) for k, v in row.items()}


def _number(value: Any) -> str:
    return "" if value is None else format(value, "f")


def _figure_review(row_id: str, f: DraftFigure, s: Suggestion, unit: str) -> dict[str, Any]:
    parsed = f.figure
    currency = parsed.currency if parsed is not None else None
    if f.problem and "rouble" in f.problem:
        currency = None
    period = f.period.period if f.period else None
    return {
        "row": f"figures.csv:{row_id}",
        "kind": "figure",
        "printed": f.printed,
        "status": f"could not read: {f.problem}"
        if f.problem
        else ("ok; a partner named alone: confirm it" if len(f.partners) == 1 else "ok"),
        "value": _number(parsed.value) if parsed else "",
        "comparator": str(parsed.comparator) if parsed else "",
        "lower": _number(parsed.lower) if parsed else "",
        "upper": _number(parsed.upper) if parsed else "",
        "multiplier": str(parsed.multiplier) if parsed else "",
        "unit": unit,
        "currency": currency or "",
        "period": f.period.printed if f.period else "",
        "period_start": period.start if period and period.start else "",
        "period_end": period.end if period and period.end else "",
        "partners": " ".join(code or "?" for _, code in f.partners),
        "indicator": f"{s.indicator_id} (new, a suggestion)" if s.new_row else s.indicator_id,
        "indicator_method": s.method,
        "indicator_score": f"{s.score:.2f}",
        "indicator_sure": s.sure,
        "indicator_why": s.why,
        "quote": f.quote,
    }


def draft(
    settings: Settings,
    path: Path,
    *,
    source_id: str | None = None,
    language: str | None = None,
    url: str | None = None,
    published: date | None = None,
    rouble: str | None = None,
) -> Draft:
    """The drafted rows of the source text at `path` (nothing is written)."""
    data, text = read_source(path)
    sid = source_id_for(path, source_id)
    language = language or guess_language(text)
    if language not in LANGUAGES:
        raise UsageError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    gram = grammar(language)
    resolver = _resolver(settings) if gram.partners else None
    reading = read_text(text, gram, resolver, rouble)
    programmes = {
        r["programme_id"]: r["name_ru"] for r in _read_csv(settings.raw / "programmes.csv")
    }
    indicators = _read_csv(settings.raw / "indicators.csv")
    new: dict[str, Any] = {}
    tables: dict[str, list[dict[str, Any]]] = {
        "sources": [
            _source_row(
                sid, data, text, language, reading, url=url, published=published, rouble=rouble
            )
        ],
        "figures": [],
        "figure_partners": [],
        "events": [],
        "waivers": [],
        "indicators": [],
    }
    out = Draft(sid, data, tables, reading=reading)
    units = {r["indicator_id"]: r["unit_en"] for r in indicators}
    for n, f in enumerate(reading.figures, start=1):
        figure_id = f"{sid}-figure-{n}"
        s = suggest(f, indicators, language, new)
        tables["figures"].append(
            {
                "figure_id": figure_id,
                "source_id": sid,
                "indicator_id": s.indicator_id,
                "figure": f.printed,
                "period": f.period.printed if f.period else "",
                "partner_list": f.partner_list or "",
                "quote": f.quote,
            }
        )
        for position, (name, _) in enumerate(f.partners, start=1):
            tables["figure_partners"].append(
                {"figure_id": figure_id, "position": str(position), "name_as_printed": name}
            )
        unit = units.get(s.indicator_id) or (s.new_row or {}).get("unit_en", "")
        out.review.append(_figure_review(figure_id, f, s, unit))
    tables["indicators"] = list(new.values())
    for n, e in enumerate(reading.events, start=1):
        event_id = f"{sid}-event-{n}"
        named = event_names(e.quote, programmes, resolver)
        tables["events"].append(
            {
                "event_id": event_id,
                "source_id": sid,
                "date": e.period.printed,
                "description_en": f"{TODO}what happened, in English",
                "programme_id": named.programme_id,
                "partner_as_printed": named.partner_as_printed,
                "quote": e.quote,
            }
        )
        p = e.period.period
        out.review.append(
            {
                "row": f"events.csv:{event_id}",
                "kind": "event",
                "printed": e.period.printed,
                "status": "to fill: description_en" + (f" ({named.note})" if named.note else ""),
                "partners": named.partner_as_printed,
                "period": e.period.printed,
                "period_start": p.start or "",
                "period_end": p.end or "",
                "quote": e.quote,
            }
        )
    seen: set[tuple[str, str]] = set()
    for w in reading.waivers:
        if (w.number, w.quote) in seen:
            status = f"could not read: no quote around {w.number!r} stands once in the text"
            out.review.append({"kind": "unread", "printed": w.number, "status": status})
            continue
        seen.add((w.number, w.quote))
        tables["waivers"].append(
            {"source_id": sid, "number": w.number, "quote": w.quote, "reason": w.reason}
        )
        row = f"waivers.csv:{w.number}"
        out.review.append(
            {
                "row": row,
                "kind": "waiver",
                "printed": w.number,
                "status": w.reason,
                "quote": w.quote,
            }
        )
    drafted = {f.span for f in reading.figures}
    for u in reading.unread:
        if u.span not in drafted:
            out.review.append(
                {
                    "row": "",
                    "kind": "unread",
                    "printed": u.text,
                    "status": f"could not read: {u.problem}",
                }
            )
    _unaccounted(text, reading, out)
    out.review = [{k: str(r.get(k, "")) for k in REVIEW_FIELDS} for r in out.review]
    return out


def _unaccounted(text: str, reading: Reading, out: Draft) -> None:
    """List every number of the text that no drafted row accounts for."""
    covered = [f.span for f in reading.figures] + [w.span for w in reading.waivers]
    covered += [p.span for p in reading.periods] + [u.span for u in reading.unread if u.span]
    for n in numbers(text):
        if not any(c.start <= n.start and n.end <= c.end for c in covered):
            out.review.append(
                {
                    "row": "",
                    "kind": "unread",
                    "printed": text[n.start : n.end],
                    "status": "could not read: no row accounts for this number",
                    "quote": collapse(text[max(0, n.start - 30) : n.end + 30]),
                }
            )
