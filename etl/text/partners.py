"""Trade partners named in Russian prose: countries (ISO 3166-1) and groups of countries.

Reports name partners in any grammatical case ("из Китая, Вьетнама и СНГ"). A name is
normalised, turned into candidate nominative forms with pymorphy3, and looked up first in
the reviewed alias table (raw/partner_aliases.csv) and then in pycountry's Russian names.
Exactly one partner must fit; anything else is a PartnerError that says what to do.

pymorphy3 and pycountry are imported on first use, so importing this module is cheap.
"""

from __future__ import annotations

import difflib
import functools
import gettext
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from etl.text.errors import MissingLanguageData, ParseError

ALIAS_FILE = "raw/partner_aliases.csv"
_ADD_ALIAS = f"add a reviewed row to {ALIAS_FILE}"
_PREFERRED_TAGS = frozenset({"Geox", "Abbr"})  # place names and abbreviations
_MAX_CANDIDATES = 1024  # cap on word-form combinations tried for a long name
_WORD = re.compile(r"([^\W\d_]+)")  # a run of letters; the group keeps separators in split()
_GROUP_ID = re.compile(r"[A-Z]+")
_ALPHA_2 = re.compile(r"[A-Z]{2}")
# ё→е; typographic apostrophes and hyphens to ASCII, en dash to em dash (as pycountry
# writes "Папуа — Новая Гвинея"); stress marks dropped (pycountry has "Респу́блика").
_FOLD = str.maketrans(
    {"ё": "е", "\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "—"}
    | {"\u0301": None, "\u0300": None}
)


class PartnerKind(StrEnum):
    """Whether a partner is one country or a group of countries."""

    COUNTRY = "country"
    GROUP = "group"


@dataclass(frozen=True)
class Partner:
    """A resolved partner; for countries every field comes from pycountry."""

    partner_id: str  # ISO 3166-1 alpha-2 for a country, the alias table's id for a group
    kind: PartnerKind
    name_en: str  # pycountry's `name` (stable, e.g. "Korea, Republic of"), not common_name
    name_ru: str  # Russian translation of `name` shipped with pycountry
    iso_alpha2: str | None
    iso_alpha3: str | None
    iso_numeric: str | None  # three characters, leading zeros kept ("008")


@dataclass(frozen=True)
class Alias:
    """One reviewed row of the alias table (raw/partner_aliases.csv, which the lead writes)."""

    name: str  # in the nominative, as a person writes it: "КНР", "Корея", "СНГ"
    partner_id: str  # alpha-2 code for a country; upper-case letters ("CIS") for a group
    kind: PartnerKind
    name_en: str | None = None  # required for groups, ignored for countries
    name_ru: str | None = None  # required for groups, ignored for countries


class PartnerError(ParseError):
    """A partner name is unknown, ambiguous or mistyped, or an alias row is invalid."""


def _normalise(text: str) -> str:
    """Strip, collapse white space, NFC, casefold, ё→е (and the folds in _FOLD)."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return " ".join(folded.split())


def _check_script(name: str, what: str = "partner name") -> None:
    """Raise if a word mixes scripts, e.g. a Latin "C" typed inside Cyrillic "СНГ"."""
    for word in _WORD.findall(unicodedata.normalize("NFC", name)):
        # Script = first word of the character's Unicode name; modifier letters (ʼ) have none.
        letters = [ch for ch in word if unicodedata.category(ch) != "Lm"]
        scripts = [unicodedata.name(ch, "UNKNOWN").split()[0] for ch in letters]
        if len(set(scripts)) < 2:
            continue
        # The word's own script is its most common one; ties go to Cyrillic.
        main = max(set(scripts), key=lambda s: (scripts.count(s), s == "CYRILLIC", s))
        bad = ", ".join(
            f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, '?')})"
            for ch, script in zip(letters, scripts, strict=True)
            if script != main
        )
        raise PartnerError(
            f"{what} {name!r} mixes scripts in the word {word!r}: {bad}; "
            f"retype these letters in {main.title()} in the source cell"
        )


@functools.cache
def _morph() -> Any:
    """The one pymorphy3 analyser, created on first use (loading takes about a second)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=4096)
def _normal_forms(word: str) -> tuple[str, ...]:
    """Dictionary forms of a lone word, from place-name or abbreviation parses if any."""
    parses = _morph().parse(word)
    preferred = [p for p in parses if _PREFERRED_TAGS & p.tag.grammemes] or parses
    return tuple(dict.fromkeys(_normalise(p.normal_form) for p in preferred))


@functools.lru_cache(maxsize=4096)
def _nominatives(word: str) -> tuple[str, ...]:
    """A word of a longer name put in the nominative (gender and number kept), or as is."""
    forms = (p.inflect({"nomn"}) for p in _morph().parse(word))
    return tuple(dict.fromkeys([*(_normalise(f.word) for f in forms if f), word]))


def _candidates(normalised: str) -> list[str]:
    """The normalised name first, then its candidate nominative forms."""
    parts = _WORD.split(normalised)  # separators at even indexes, words at odd ones
    words = parts[1::2]
    if not words:
        return [normalised] if normalised else []
    if len(words) == 1:
        options: list[tuple[str, ...]] = [_normal_forms(words[0])]
    else:
        options = [_nominatives(word) for word in words]
    found = [normalised]
    for combo in itertools.islice(itertools.product(*options), _MAX_CANDIDATES):
        rebuilt = [part for pair in zip(parts[::2], combo, strict=False) for part in pair]
        found.append("".join([*rebuilt, parts[-1]]))
    return list(dict.fromkeys(found))


@functools.cache
def _ru() -> gettext.NullTranslations:
    """pycountry's Russian translation of ISO 3166-1 names."""
    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError as exc:
        raise MissingLanguageData(
            f"pycountry has no Russian ISO 3166-1 names under {pycountry.LOCALES_DIR}; "
            "reinstall pycountry from a full wheel"
        ) from exc


@functools.cache
def _country(alpha_2: str) -> Partner | None:
    """The country with this upper-case alpha-2 code, or None if pycountry has none."""
    import pycountry

    if not _ALPHA_2.fullmatch(alpha_2):
        return None
    record = pycountry.countries.get(alpha_2=alpha_2)
    if record is None:
        return None
    return Partner(
        partner_id=record.alpha_2,
        kind=PartnerKind.COUNTRY,
        name_en=record.name,
        name_ru=_ru().gettext(record.name),
        iso_alpha2=record.alpha_2,
        iso_alpha3=record.alpha_3,
        iso_numeric=record.numeric,
    )


@functools.cache
def _country_index() -> dict[str, frozenset[str]]:
    """Normalised Russian name, official name and common name → alpha-2 codes."""
    import pycountry

    index: dict[str, set[str]] = {}
    for record in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            english = getattr(record, field, None)
            if english:
                key = _normalise(_ru().gettext(english))
                index.setdefault(key, set()).add(record.alpha_2)
    return {key: frozenset(codes) for key, codes in index.items()}


def _partner_for(alias: Alias) -> Partner:
    """Check one alias row and build the partner it names."""
    where = f"alias {alias.name!r} in {ALIAS_FILE}"
    try:
        kind = PartnerKind(alias.kind)
    except ValueError:
        raise PartnerError(f"{where}: kind {alias.kind!r} must be 'country' or 'group'") from None
    if kind is PartnerKind.COUNTRY:
        country = _country(alias.partner_id)
        if country is None:
            raise PartnerError(
                f"{where}: {alias.partner_id!r} is not an ISO 3166-1 alpha-2 code known to "
                "pycountry; write the upper-case code, e.g. 'CN'"
            )
        return country
    if not _GROUP_ID.fullmatch(alias.partner_id) or _country(alias.partner_id):
        raise PartnerError(
            f"{where}: group id {alias.partner_id!r} must be upper-case Latin letters "
            "and not a country's alpha-2 code, e.g. 'CIS'"
        )
    name_en, name_ru = (alias.name_en or "").strip(), (alias.name_ru or "").strip()
    if not name_en or not name_ru:
        raise PartnerError(f"{where}: group {alias.partner_id!r} needs name_en and name_ru")
    return Partner(alias.partner_id, PartnerKind.GROUP, name_en, name_ru, None, None, None)


#: A word of running text, for finding printed aliases ("СНГ", "Корея", "Коста-Рика").
_TEXT_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class PartnerResolver:
    """Resolves partner names in any grammatical case via the alias table, then pycountry."""

    def __init__(self, aliases: Iterable[Alias]) -> None:
        """Check the alias rows: real alpha-2 codes, named groups, no duplicate names."""
        self._aliases: dict[str, tuple[Alias, Partner]] = {}
        by_id: dict[str, tuple[Alias, Partner]] = {}
        for alias in aliases:
            _check_script(alias.name, what=f"alias in {ALIAS_FILE}")
            key = _normalise(alias.name)
            if not key:
                raise PartnerError(f"an alias in {ALIAS_FILE} has an empty name")
            if key in self._aliases:
                other = self._aliases[key][0].name
                raise PartnerError(
                    f"aliases {other!r} and {alias.name!r} in {ALIAS_FILE} have the same "
                    f"normalised name {key!r}; keep one row"
                )
            partner = _partner_for(alias)
            first = by_id.setdefault(partner.partner_id, (alias, partner))
            if partner.kind is PartnerKind.GROUP and first[1] != partner:
                raise PartnerError(
                    f"aliases {first[0].name!r} and {alias.name!r} in {ALIAS_FILE} give group "
                    f"{partner.partner_id!r} different name_en/name_ru; make them agree"
                )
            self._aliases[key] = (alias, partner)

    def printed_aliases(self, texts: Iterable[str], longest: int = 4) -> set[str]:
        """The aliases (as written in the alias table) that some run of up to `longest`
        words of the texts names, in any grammatical case."""
        wanted = {key: alias.name for key, (alias, _) in self._aliases.items()}
        found: set[str] = set()
        for text in texts:
            words = _TEXT_WORD.findall(text)
            for size in range(1, longest + 1):
                for start in range(len(words) - size + 1):
                    run = " ".join(words[start : start + size])
                    for candidate in _candidates(_normalise(run)):
                        if candidate in wanted:
                            found.add(wanted[candidate])
        return found

    def nearest(self, candidates: list[str]) -> str:
        """' (did you mean 'X', ID?)' for the alias or country name closest to a candidate
        form (difflib), or '' when none is close."""
        known = {key: (alias.name, p.partner_id) for key, (alias, p) in self._aliases.items()}
        for key, codes in _country_index().items():
            country = _country(next(iter(codes))) if len(codes) == 1 else None
            if country is not None:
                known.setdefault(key, (country.name_ru, country.partner_id))
        best: tuple[float, str] | None = None
        for candidate in candidates:
            for key in difflib.get_close_matches(candidate, known, n=1):
                ratio = difflib.SequenceMatcher(None, candidate, key).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, key)
        if best is None:
            return ""
        shown, partner_id = known[best[1]]
        return f" (did you mean {shown!r}, {partner_id}?)"

    def lemmas(self, name: str) -> list[str]:
        """The normalised name and its candidate nominative forms, in the order tried."""
        return _candidates(_normalise(name))

    def resolve(self, name: str) -> Partner:
        """The one partner `name` denotes, in any case, letter case and spacing."""
        _check_script(name)
        candidates = self.lemmas(name)
        if not candidates:
            raise PartnerError(f"partner name {name!r} is empty; write the partner's name")
        hits = [(c, self._aliases[c][1]) for c in candidates if c in self._aliases]
        if not hits:
            index = _country_index()
            hits = [
                (c, partner)
                for c in candidates
                for code in sorted(index.get(c, ()))
                if (partner := _country(code)) is not None
            ]
        ids = sorted({partner.partner_id for _, partner in hits})
        if len(ids) == 1:
            return hits[0][1]
        if not ids:
            raise PartnerError(
                f"unknown partner {name!r}: no alias and no ISO 3166-1 Russian name matches "
                f"{', '.join(map(repr, candidates))}; if it is a country or a group of "
                f"countries, {_ADD_ALIAS}{self.nearest(candidates)}"
            )
        found = ", ".join(f"{c!r} → {partner.partner_id}" for c, partner in hits)
        raise PartnerError(
            f"ambiguous partner {name!r}: {found}; {_ADD_ALIAS} or correct the rows there "
            "so that only one partner fits"
        )
