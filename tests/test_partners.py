"""Tests for etl.text.partners: partner names in any grammatical case → countries and groups."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.text.partners import Alias, Partner, PartnerError, PartnerKind, PartnerResolver

COUNTRY, GROUP = PartnerKind.COUNTRY, PartnerKind.GROUP
CIS_EN, CIS_RU = "Commonwealth of Independent States", "Содружество Независимых Государств"
ALIASES = [
    Alias("Россия", "RU", COUNTRY),
    Alias("Корея", "KR", COUNTRY),  # reviewed: in these reports "Корея" is the Republic of Korea
    Alias("КНР", "CN", COUNTRY),
    Alias("СНГ", "CIS", GROUP, CIS_EN, CIS_RU),
    Alias("Содружество Независимых Государств", "CIS", GROUP, CIS_EN, CIS_RU),
]
KR = Partner("KR", COUNTRY, "Korea, Republic of", "Республика Корея", "KR", "KOR", "410")
CN = Partner("CN", COUNTRY, "China", "Китай", "CN", "CHN", "156")
RU = Partner("RU", COUNTRY, "Russian Federation", "Российская Федерация", "RU", "RUS", "643")
AL = Partner("AL", COUNTRY, "Albania", "Албания", "AL", "ALB", "008")
CIS = Partner("CIS", GROUP, CIS_EN, CIS_RU, None, None, None)


@pytest.fixture(scope="module")
def resolver() -> PartnerResolver:
    """A resolver over the tests' small alias list."""
    return PartnerResolver(ALIASES)


@pytest.fixture(scope="module")
def bare() -> PartnerResolver:
    """A resolver with no aliases: pycountry's Russian names only."""
    return PartnerResolver([])


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Вьетнама", "VN"),
        ("Китая", "CN"),
        ("Японии", "JP"),
        ("Германии", "DE"),
        ("Швеции", "SE"),
        ("Монголии", "MN"),
        ("Черногории", "ME"),
        ("Литва", "LT"),
        ("Индия", "IN"),
        ("Индии", "IN"),
        ("Израиля", "IL"),
        ("Турции", "TR"),
        ("Российской Федерации", "RU"),
        ("Республики Корея", "KR"),
        ("Соединенных Штатов Америки", "US"),
        ("Соединённого Королевства Великобритании и Северной Ирландии", "GB"),
        ("Гвинеи-Бисау", "GW"),
        ("Кот-д’Ивуар", "CI"),
        ("Кот-дʼИвуар", "CI"),  # U+02BC, a modifier letter, is not a mixed script
        ("Исламской Респу́блики Иран", "IR"),  # stress mark, as pycountry writes it
    ],
)
def test_resolves_country_from_pycountry_names(bare: PartnerResolver, name: str, code: str) -> None:
    """Any case of a country's Russian ISO name resolves without an alias."""
    partner = bare.resolve(name)
    assert (partner.partner_id, partner.kind, partner.iso_alpha2) == (code, COUNTRY, code)


@pytest.mark.parametrize(
    ("name", "code"),
    [("России", "RU"), ("Кореи", "KR"), ("Корея", "KR"), ("КНР", "CN"), ("СНГ", "CIS")],
)
def test_resolves_through_aliases(resolver: PartnerResolver, name: str, code: str) -> None:
    """Names pycountry lacks resolve through reviewed alias rows, in any case."""
    assert resolver.resolve(name).partner_id == code


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Кореи", KR),
        ("Республики Корея", KR),
        ("КНР", CN),
        ("Китая", CN),
        ("России", RU),
        ("Албании", AL),
        ("СНГ", CIS),
        ("Содружества Независимых Государств", CIS),
    ],
)
def test_partner_fields(resolver: PartnerResolver, name: str, expected: Partner) -> None:
    """Resolved partners carry pycountry's names and codes, or the alias table's group names."""
    assert resolver.resolve(name) == expected


@pytest.mark.parametrize(
    "name",
    ["  КИТАЯ ", "\u00a0Китая\u00a0", "китая\n", "кИтАя", "Китая\t"],
)
def test_tolerates_letter_case_and_white_space(resolver: PartnerResolver, name: str) -> None:
    """Letter case and surrounding white space, including U+00A0, do not matter."""
    assert resolver.resolve(name) == CN


@pytest.mark.parametrize(
    "name", ["Республики\u00a0\u00a0Корея", "Республики\nКорея", "РЕСПУБЛИКИ КОРЕЯ"]
)
def test_collapses_inner_white_space(bare: PartnerResolver, name: str) -> None:
    """Runs of white space inside a name count as one space."""
    assert bare.resolve(name) == KR


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["Кореи", "России", "СНГ", "Вьетнама", "Российской Федерации"]),
    pad=st.tuples(*[st.text(alphabet=" \u00a0\t\n", max_size=3)] * 2),
    upper=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_spelling_variants_resolve_alike(
    name: str, pad: tuple[str, str], upper: list[bool]
) -> None:
    """Padding and letter case never change which partner a name resolves to."""
    resolver = PartnerResolver(ALIASES)
    cased = "".join(ch.upper() if up else ch.lower() for ch, up in zip(name, upper, strict=False))
    assert resolver.resolve(pad[0] + cased + pad[1]) == resolver.resolve(name)


def test_lemmas_lists_the_name_then_its_nominatives(resolver: PartnerResolver) -> None:
    """lemmas() gives the normalised name first, then the nominative forms tried."""
    assert resolver.lemmas(" Кореи ") == ["кореи", "корея"]


def test_lemmas_keep_adjectives_in_agreement(resolver: PartnerResolver) -> None:
    """A multi-word name's adjective is put in the nominative with its gender kept."""
    lemmas = resolver.lemmas("Российской Федерации")
    assert lemmas[:2] == ["российской федерации", "российская федерация"]
    assert "российский федерация" not in lemmas


def test_lemmas_fold_yo(resolver: PartnerResolver) -> None:
    """ё is folded to е, so both spellings meet the same names."""
    assert resolver.lemmas("Соединённых Штатов") == resolver.lemmas("Соединенных Штатов")


def test_aliases_win_over_pycountry() -> None:
    """A reviewed alias outranks pycountry's reading of the same name."""
    resolver = PartnerResolver([Alias("Конго", "CD", COUNTRY)])
    assert PartnerResolver([]).resolve("Конго").partner_id == "CG"
    assert resolver.resolve("Конго").partner_id == "CD"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Атлантида", "unknown partner 'Атлантида': no alias and no ISO 3166-1 Russian name"),
        ("Атлантида", "add a reviewed row to raw/partner_aliases.csv"),
        ("Атлантиды", "matches 'атлантиды', 'атлантида'"),
        ("Кореи", "unknown partner 'Кореи'"),  # "Корея" alone needs a reviewed alias
        ("Белоруссии", "unknown partner 'Белоруссии'"),  # pycountry says "Беларусь"
        (" ", "partner name ' ' is empty"),
    ],
)
def test_unknown_partner(bare: PartnerResolver, name: str, message: str) -> None:
    """A name nothing matches is an error that says to add a reviewed alias row."""
    with pytest.raises(PartnerError) as caught:
        bare.resolve(name)
    assert message in str(caught.value)


def test_unknown_partner_suggests_the_nearest_name(bare: PartnerResolver) -> None:
    """A name close to a country's Russian name ends its hint with that name and code."""
    with pytest.raises(PartnerError) as caught:
        bare.resolve("Белоруссии")
    assert str(caught.value) == (
        "unknown partner 'Белоруссии': no alias and no ISO 3166-1 Russian name matches "
        "'белоруссии', 'белоруссия'; if it is a country or a group of countries, add a "
        "reviewed row to raw/partner_aliases.csv (did you mean 'Беларусь', BY?)"
    )


def test_unknown_partner_suggests_a_near_alias() -> None:
    """A name close to a reviewed alias suggests the alias as written, with its id."""
    resolver = PartnerResolver([Alias("СНГ", "CIS", GROUP, "CIS", "СНГ")])
    with pytest.raises(PartnerError) as caught:
        resolver.resolve("СНГГ")
    assert str(caught.value).endswith("(did you mean 'СНГ', CIS?)")


def test_unknown_partner_far_from_every_name_has_no_suggestion(bare: PartnerResolver) -> None:
    """No name is close to 'Ъ': the hint suggests nothing."""
    with pytest.raises(PartnerError) as caught:
        bare.resolve("Ъъъъъъъ")
    assert "did you mean" not in str(caught.value)
    assert str(caught.value).endswith("add a reviewed row to raw/partner_aliases.csv")


def test_ambiguous_partner() -> None:
    """A name whose candidates reach two partners is an error naming each candidate."""
    resolver = PartnerResolver([Alias("Корея", "KR", COUNTRY), Alias("Кореи", "KP", COUNTRY)])
    with pytest.raises(PartnerError) as caught:
        resolver.resolve("Кореи")
    message = str(caught.value)
    assert "ambiguous partner 'Кореи': 'кореи' → KP, 'корея' → KR" in message
    assert "raw/partner_aliases.csv" in message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u0043НГ", "word 'CНГ': 'C' (U+0043 LATIN CAPITAL LETTER C)"),
        ("К\u006fреи", "word 'Кoреи': 'o' (U+006F LATIN SMALL LETTER O)"),
        ("Республики К\u043er\u0435a", "'r' (U+0072 LATIN SMALL LETTER R), 'a' (U+0061"),
        ("Chin\u0430", "'а' (U+0430 CYRILLIC SMALL LETTER A); retype these letters in Latin"),
    ],
)
def test_mixed_script_is_refused(resolver: PartnerResolver, name: str, message: str) -> None:
    """Look-alike letters of another script inside a word are reported, never matched."""
    with pytest.raises(PartnerError) as caught:
        resolver.resolve(name)
    assert f"partner name {name!r} mixes scripts in the " in str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [Alias("Атлантида", "XX", COUNTRY)],
            "alias 'Атлантида' in raw/partner_aliases.csv: 'XX' is not an ISO 3166-1 alpha-2",
        ),
        ([Alias("Корея", "kr", COUNTRY)], "'kr' is not an ISO 3166-1 alpha-2 code"),
        ([Alias("Корея", "KOR", COUNTRY)], "'KOR' is not an ISO 3166-1 alpha-2 code"),
        ([Alias("СНГ", "CIS", GROUP, None, CIS_RU)], "group 'CIS' needs name_en and name_ru"),
        ([Alias("СНГ", "CIS", GROUP, CIS_EN, " ")], "group 'CIS' needs name_en and name_ru"),
        ([Alias("СНГ", "cis", GROUP, CIS_EN, CIS_RU)], "group id 'cis' must be upper-case"),
        ([Alias("СНГ", "RU", GROUP, CIS_EN, CIS_RU)], "not a country's alpha-2 code"),
        ([Alias("Корея", "KR", "state")], "kind 'state' must be 'country' or 'group'"),  # type: ignore[arg-type]
        (
            [Alias("Корея", "KR", COUNTRY), Alias(" КОРЕЯ\u00a0", "KP", COUNTRY)],
            "aliases 'Корея' and ' КОРЕЯ\\xa0' in raw/partner_aliases.csv have the same "
            "normalised name 'корея'; keep one row",
        ),
        (
            [
                Alias("СНГ", "CIS", GROUP, CIS_EN, CIS_RU),
                Alias("Содружество", "CIS", GROUP, "C", "С"),
            ],
            "give group 'CIS' different name_en/name_ru; make them agree",
        ),
        ([Alias("\u0043НГ", "CIS", GROUP, CIS_EN, CIS_RU)], "alias in raw/partner_aliases.csv"),
        ([Alias("", "RU", COUNTRY)], "an alias in raw/partner_aliases.csv has an empty name"),
    ],
)
def test_bad_alias_rows_are_refused(rows: list[Alias], message: str) -> None:
    """Invalid alias rows fail when the resolver is built, naming the row and the fix."""
    with pytest.raises(PartnerError) as caught:
        PartnerResolver(rows)
    assert message in str(caught.value)


def test_import_is_cheap() -> None:
    """Importing etl.text.partners loads neither pymorphy3 nor pycountry."""
    code = (
        "import sys, etl.text.partners; "
        "print(sorted({'pymorphy3', 'pycountry'} & set(sys.modules)))"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
