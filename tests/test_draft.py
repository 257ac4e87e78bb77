"""etl.build.draft and its parts: the seed drafted as it is transcribed, the fixture reports,
periods, waivers, partners, indicator suggestions and a language without parsers."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from etl.build.draft import _resolver, draft, guess_language
from etl.build.draft_accept import raw_schemas, summary, write_draft
from etl.build.draft_events import event_names
from etl.build.draft_text import grammar, read_text
from etl.build.draft_units import clauses, collapse, find_periods
from etl.build.settings import Settings
from etl.text.periods import parse_period
from etl.text.quotes import Span, numbers

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "draft"
SETTINGS = Settings.for_project(ROOT)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


SEED = rows(ROOT / "raw/sources.csv")[0]
SEED_TEXT = ROOT / "raw" / SEED["path"]


@pytest.fixture(scope="module")
def seed() -> object:
    """The seed's source text drafted with its source row's id, language and rouble."""
    return draft(
        SETTINGS,
        SEED_TEXT,
        source_id=SEED["source_id"],
        language=SEED["language"],
        rouble=SEED["rouble_currency"],
    )


def key(row: dict[str, str]) -> tuple[str, str, str]:
    return (row["figure"], collapse(row["quote"]), row["period"])


def test_seed_figures_are_drafted_as_transcribed(seed: object) -> None:
    """Every figure of raw/figures.csv is drafted with its printed text, quote and period,
    and nothing else is drafted as a figure."""
    truth = [r for r in rows(ROOT / "raw/figures.csv") if r["source_id"] == SEED["source_id"]]
    drafted = seed.tables["figures"]  # type: ignore[attr-defined]
    assert sorted(map(key, drafted)) == sorted(map(key, truth))


def test_seed_indicators_partners_and_lists_match(seed: object) -> None:
    """Each drafted figure gets the transcribed indicator, partner list and partner names."""
    truth = {key(r): r for r in rows(ROOT / "raw/figures.csv")}
    names: dict[str, list[str]] = {}
    for r in rows(ROOT / "raw/figure_partners.csv"):
        names.setdefault(r["figure_id"], []).append(r["name_as_printed"])
    drafted_names: dict[str, list[str]] = {}
    for r in seed.tables["figure_partners"]:  # type: ignore[attr-defined]
        drafted_names.setdefault(r["figure_id"], []).append(r["name_as_printed"])
    for row in seed.tables["figures"]:  # type: ignore[attr-defined]
        want = truth[key(row)]
        got = (row["indicator_id"], row["partner_list"], drafted_names.get(row["figure_id"], []))
        assert got == (want["indicator_id"], want["partner_list"], names.get(want["figure_id"], []))


def test_seed_waivers_and_events_account_for_every_number(seed: object) -> None:
    """The waived numbers are those transcribed, and no number of the text is left unread."""
    waived = sorted(
        w["number"] for w in rows(ROOT / "raw/waivers.csv") if w["source_id"] == SEED["source_id"]
    )
    assert sorted(w["number"] for w in seed.tables["waivers"]) == waived  # type: ignore[attr-defined]
    assert [r for r in seed.review if r["kind"] == "unread"] == []  # type: ignore[attr-defined]
    seed_events = [e for e in rows(ROOT / "raw/events.csv") if e["source_id"] == SEED["source_id"]]
    dates = {e["date"] for e in seed_events} - {"В 2021–2022 гг."}
    assert dates <= {e["date"] for e in seed.tables["events"]}  # type: ignore[attr-defined]


def test_seed_source_row(seed: object) -> None:
    """The sources row has the text's SHA-256, its heading as title, section and window."""
    row = seed.tables["sources"][0]  # type: ignore[attr-defined]
    assert row["sha256"] == hashlib.sha256(SEED_TEXT.read_bytes()).hexdigest() == SEED["sha256"]
    picked = {k: row[k] for k in ("title_as_printed", "section", "published_precision")}
    assert picked == {k: SEED[k] for k in picked}
    assert row["published_not_before"] == SEED["published_not_before"]


def test_draft_folder_columns_come_from_the_schemas(tmp_path: Path, seed: object) -> None:
    """Each CSV of the draft has its raw schema's columns, and the text is byte for byte."""
    folder = write_draft(SETTINGS, seed, tmp_path / "d")  # type: ignore[arg-type]
    schemas = raw_schemas(SETTINGS)
    for name in ("sources", "figures", "figure_partners", "events", "waivers", "indicators"):
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == schemas[name].field_names
    assert (folder / SEED["path"]).read_bytes() == SEED_TEXT.read_bytes()
    review = rows(folder / "review.csv")
    assert len(review) == len(seed.review)  # type: ignore[attr-defined]
    first = next(r for r in review if r["kind"] == "figure" and r["printed"] == "более 1,1 тыс.")
    parsed = {k: first[k] for k in ("value", "comparator", "lower", "upper", "multiplier")}
    assert parsed == {
        "value": "1100",
        "comparator": "more_than",
        "lower": "1100",
        "upper": "",
        "multiplier": "1000",
    }
    assert (first["period_start"], first["period_end"]) == ("2020-01-01", "2022-12-31")


@pytest.mark.parametrize(
    "name", ["ru-institute-note", "ru-laboratory-report", "en-institute-note", "en-funding-news"]
)
def test_fixture_reports_are_drafted_as_expected(name: str) -> None:
    """The fixture reports' figures (whole, with qualifier, symbol, multiplier, currency or
    range), quotes, periods and values are drafted as expected."""
    found = draft(SETTINGS, DATA / f"{name}.txt")
    review = {r["row"]: r for r in found.review}
    got = []
    for f in found.tables["figures"]:
        r = review[f"figures.csv:{f['figure_id']}"]
        got.append(
            (
                *key(f),
                r["value"],
                r["comparator"],
                r["currency"],
                r["period_start"],
                r["period_end"],
            )
        )
    want = [
        (*key(r), r["value"], r["comparator"], r["currency"], r["period_start"], r["period_end"])
        for r in rows(DATA / f"{name}.expected.csv")
    ]
    assert got == want


def test_waiver_reasons() -> None:
    """Heading numbers, dates in a heading, numbers in names and document numbers are waived."""
    lab = draft(SETTINGS, DATA / "ru-laboratory-report.txt").tables["waivers"]
    note = draft(SETTINGS, DATA / "ru-institute-note.txt").tables["waivers"]
    assert [(w["number"], w["reason"]) for w in note + lab] == [
        ("2", "The section number of the heading, not a figure."),
        ("2030", "Part of a name (Наука-2030), not a figure."),
        ("2022", "A date in a heading, not a figure."),
        ("15", "The number of a document (№ 15), not a figure."),
    ]


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("В 2020–2022 гг. было 5 встреч.", ["2020–2022 гг."]),
        ("В 2019 году было 5 встреч.", ["В 2019 году"]),
        ("Всего в 2000-х гг. было 5 встреч.", ["в 2000-х гг."]),
        (
            "С 2014 года 5 встреч (на начало 2022 года 2 встречи).",
            ["С 2014 года", "на начало 2022 года"],
        ),
        ("Встреча 19 декабря\n2022 г. в г.Минске.", ["19 декабря 2022 г."]),
        ("Программа ”Горизонт-2020“.", []),
    ],
)
def test_periods_found_as_transcribed(text: str, printed: list[str]) -> None:
    """The longest period the parser reads; "в" is left out only before a bare year word."""
    found, problems = find_periods(text, Span(0, len(text)), parse_period)
    assert ([p.printed for p in found], problems) == (printed, [])


def test_sentences_join_back_references_and_split_comparisons() -> None:
    """ "из них" joins a sentence to the one before; ", то " starts a clause of its own."""
    text = "Было 60 программ. Половина из них новые.\nЕсли в 2013 году 9, то в 2021 году 16."
    got = [text[c.span.start : c.span.end] for c in clauses(text)]
    assert got == [
        "Было 60 программ. Половина из них новые.",
        "Если в 2013 году 9",
        "то в 2021 году 16.",
    ]


def test_a_language_without_parsers_is_listed_not_dropped() -> None:
    """Drafted as Belarusian, for which etl.text has no parsers yet, every figure is drafted
    as could-not-read and every year is listed as unread: nothing crashes, no number is
    lost."""
    text = DATA / "en-institute-note.txt"
    found = draft(SETTINGS, text, language="be")
    statuses = [(r["kind"], r["printed"], r["status"]) for r in found.review]
    no_figures = "could not read: etl.text has no figure parser for language 'be'"
    no_periods = "could not read: etl.text has no period parser for language 'be'"
    assert statuses == [
        ("figure", "12", no_figures),
        ("figure", "300", no_figures),
        ("unread", "2019", no_periods),
        ("unread", "2016", no_periods),
    ]
    assert len(numbers(text.read_text(encoding="utf-8"))) == len(statuses)
    assert (
        summary(found).splitlines()[-1] == "4 item(s) could not be read; every row is in review.csv"
    )


def test_english_is_read_by_the_english_parsers() -> None:
    """An English note: its figures and periods read by etl.text's English parsers."""
    text = DATA / "en-institute-note.txt"
    assert guess_language(text.read_text(encoding="utf-8")) == "en"
    found = draft(SETTINGS, text)
    statuses = [(r["kind"], r["printed"], r["status"]) for r in found.review]
    assert statuses == [("figure", "12", "ok"), ("figure", "more than 300", "ok")]
    periods = [f["period"] for f in found.tables["figures"]]
    assert periods == ["In 2019", "Since 2016"]


def test_indicator_suggestions_say_how_they_were_found() -> None:
    """A lemma match, a similarity match and a new indicator are each labelled as such."""
    note = {r["printed"]: r for r in draft(SETTINGS, DATA / "ru-institute-note.txt").review}
    english = {r["printed"]: r for r in draft(SETTINGS, DATA / "en-institute-note.txt").review}
    assert note["12"]["indicator_method"] == "lemma"
    assert note["12"]["indicator"] == "nasb-cooperation-agreements"
    assert english["12"]["indicator_method"] == "similarity"
    assert english["12"]["indicator"] == "nasb-cooperation-agreements"
    assert note["более 300"]["indicator_method"] == "new"
    assert note["более 300"]["indicator"].endswith("(new, a suggestion)")


def test_bare_roubles_without_a_rouble_are_not_guessed() -> None:
    """Without --rouble, a bare "рублей" figure says which rouble is not known."""
    found = draft(SETTINGS, SEED_TEXT)
    row = next(r for r in found.review if r["printed"] == "2,8 млн рублей")
    assert (row["value"], row["currency"]) == ("2800000", "")
    assert row["status"] == (
        "could not read: bare roubles: which rouble the source means is not given (--rouble)"
    )


@pytest.mark.parametrize(
    ("text", "figures", "waivers"),
    [
        ("Заключено 123 договора.", [("123", None)], []),
        (
            "Получено 9.4 млн евро.",
            [
                (
                    "9.4 млн евро",
                    "decimal point in '9.4 млн евро': write a decimal comma, as in '9,4'",
                )
            ],
            [],
        ),
        (
            "Рост −7 проектов.",
            [("−7", "negative number in '−7': figures are written without a sign")],
            [],
        ),
        ("Ссылка 64m.", [], [("64", "Ссылка 64m.", "Part of a name (64), not a figure.")]),
        (
            "Горизонт-2020 и Горизонт-2020.",
            [],
            [
                ("2020", "Горизонт-2020 и", "Part of a name (Горизонт-2020), not a figure."),
                ("2020", "и Горизонт-2020.", "Part of a name (Горизонт-2020), not a figure."),
            ],
        ),
    ],
)
def test_hard_numbers_are_drafted_or_waived_never_lost(
    text: str, figures: list[tuple[str, str | None]], waivers: list[tuple[str, str, str]]
) -> None:
    """A one-line text is no heading; a figure the parser refuses is drafted with its reason;
    a repeated name gets a waiver quote that stands once."""
    reading = read_text(text, grammar("ru"), None, None)
    assert [(f.printed, f.problem) for f in reading.figures] == figures
    assert [(w.number, w.quote, w.reason) for w in reading.waivers] == waivers


def test_english_event_dates_are_drafted_as_printed() -> None:
    """An English press release's dates are drafted as events, whole as printed ("Sept."
    ends no sentence), and no number is left over."""
    text = DATA.parent / "projects/english-event-dates/texts/fixture-consortium-news-2019.txt"
    found = draft(SETTINGS, text)
    assert [e["date"] for e in found.tables["events"]] == [
        "On March 12, 2019",
        "on Tuesday, 4th June 2019",
        "In May 2018",
        "on 3 Sept. 2018",
    ]
    assert (found.tables["figures"], found.tables["waivers"]) == ([], [])


def test_roman_numerals_are_drafted_as_waivers() -> None:
    """Each Roman numeral the number finder counts is drafted as a waiver to confirm."""
    text = DATA.parent / "projects/roman-numerals-waived/texts/fixture-roman-note-2024.txt"
    found = draft(SETTINGS, text, language="ru")
    reason = "A Roman numeral (an ordinal or a name), not a figure: confirm it."
    assert [(w["number"], w["reason"]) for w in found.tables["waivers"]] == [
        ("XXI", reason),
        ("I", reason),
        ("II", reason),
    ]
    assert found.tables["figures"] == []


def test_seed_events_are_drafted_with_their_programme_and_partner(seed: object) -> None:
    """Each transcribed event's programme and partner (a name alone, as "Российской
    Федерации") are drafted as transcribed, and "НАН Беларуси" is no partner."""
    drafted = {e["date"]: e for e in seed.tables["events"]}  # type: ignore[attr-defined]
    for event in rows(ROOT / "raw/events.csv"):
        if event["source_id"] != SEED["source_id"] or event["date"] not in drafted:
            continue  # a date the drafter reads otherwise (test above)
        got = drafted[event["date"]]
        assert (got["programme_id"], got["partner_as_printed"]) == (
            event["programme_id"],
            event["partner_as_printed"],
        )
    assert {(e["programme_id"], e["partner_as_printed"]) for e in drafted.values()} >= {
        ("intelavto", ""),
        ("komponent-f", ""),
        ("", "Российской Федерации"),
    }


@pytest.mark.parametrize(
    ("quote", "named"),
    [
        ("В 2020 г. встреча с делегацией Китая.", ("", "Китая", "")),
        ("В 2020 г. встреча с Президентом Российской Федерации.", ("", "Российской Федерации", "")),
        ("В 2020 г. НАН Беларуси открыла центр.", ("", "", "")),
        ("В 2020 г. встреча делегаций Китая и Индии.", ("", "", "partners CN, IN are all named")),
    ],
)
def test_an_event_partner_is_the_one_partner_named(quote: str, named: tuple[str, str, str]) -> None:
    """One partner named alone is drafted; an organisation's name or two partners are not."""
    found = event_names(quote, {}, _resolver(SETTINGS))
    assert (found.programme_id, found.partner_as_printed, found.note) == named


def test_an_event_programme_is_the_one_programme_named() -> None:
    """A programme whose name_ru stands once is drafted; two programmes are not guessed."""
    programmes = {"intelavto": "Интелавто", "komponent-f": "Компонент-Ф"}
    assert event_names("Начата программа «Интелавто».", programmes, None).programme_id == (
        "intelavto"
    )
    both = event_names("Программы «Интелавто» и «Компонент-Ф».", programmes, None)
    assert (both.programme_id, both.note) == (
        "",
        "programmes intelavto, komponent-f are all named",
    )


@pytest.mark.parametrize(
    ("text", "partners", "kind"),
    [
        ("В 2021 году с Китаем выполнено 12 проектов.", [("Китаем", "CN")], "complete"),
        ("С учёными из Китая и других стран выполнено 12 проектов.", [("Китая", "CN")], "partial"),
        ("НАН Беларуси выполнила 12 проектов.", [], None),
    ],
)
def test_a_partner_named_alone_is_drafted(
    text: str, partners: list[tuple[str, str]], kind: str | None
) -> None:
    """One partner name in a figure's clause is its partner; an organisation's name is not."""
    (figure,) = read_text(text, grammar("ru"), _resolver(SETTINGS), None).figures
    assert (figure.partners, figure.partner_list) == (partners, kind)


def test_a_partner_named_alone_is_marked_to_confirm(tmp_path: Path) -> None:
    """The review asks to confirm a partner drafted from a name alone."""
    text = tmp_path / "one-partner.txt"
    text.write_text("В 2021 году с Китаем выполнено 12 проектов.\n", encoding="utf-8")
    (row,) = [r for r in draft(SETTINGS, text).review if r["kind"] == "figure"]
    assert (row["partners"], row["status"]) == ("CN", "ok; a partner named alone: confirm it")
