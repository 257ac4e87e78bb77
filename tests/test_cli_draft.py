"""`etl draft`: a draft folder written for a text, bad input refused with one line and exit 2
and nothing written to raw/, and a reviewed draft accepted into a copied project."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from projects import copy_project, tree_digest

from etl.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "draft"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's raw/ and schemas/ (in its own folder of tmp_path)."""
    return copy_project(tmp_path / "project", with_dist=False)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["draft", *args])
    return result.exit_code, result.stdout, result.stderr


def test_draft_writes_drafts_id_and_a_summary(project: Path) -> None:
    """The default folder is drafts/ID; the summary names each row and how it parses."""
    text = DATA / "ru-institute-note.txt"
    code, out, err = run(str(text), "--project", str(project))
    folder = project / "drafts" / "ru-institute-note"
    assert (code, err) == (0, "")
    assert (folder / "texts" / "ru-institute-note.txt").read_bytes() == text.read_bytes()
    lines = out.splitlines()
    assert lines[0] == (
        "Drafted ru-institute-note: 1 sources, 4 figures, 3 figure_partners, 1 events, "
        "2 waivers, 1 indicators"
    )
    assert lines[1] == (
        "  figure '12': 12 exact [12, 12] x1 agreement | В 2019 году (2019-01-01..2019-12-31) "
        "| partners PL CN KZ | nasb-cooperation-agreements (lemma, 1.00, high)"
    )
    assert lines[-1] == f"Wrote {folder}"


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Files that are no source text, with the message each gets."""
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_bytes(b" \n\t\n")
    (tmp / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp / "latin1.txt").write_bytes("Около 40 центров".encode("cp1251"))
    return {
        "missing": (tmp / "nope.txt", f"{tmp / 'nope.txt'} does not exist"),
        "folder": (tmp, f"{tmp} is a folder"),
        "empty": (tmp / "empty.txt", f"{tmp / 'empty.txt'} is empty"),
        "blank": (tmp / "blank.txt", f"{tmp / 'blank.txt'} is empty"),
        "binary": (tmp / "binary.txt", f"{tmp / 'binary.txt'} is a binary file"),
        "not-utf8": (tmp / "latin1.txt", f"{tmp / 'latin1.txt'} is not UTF-8 (byte 0 is 0xce)"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "blank", "binary", "not-utf8"])
def test_bad_input_is_one_line_exit_2(project: Path, tmp_path: Path, case: str) -> None:
    """Each bad input gets one line naming the file and what to do, exit 2, and no writes."""
    path, message = _bad_inputs(tmp_path)[case]
    before = tree_digest(project)
    code, out, err = run(str(path), "--project", str(project))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"Error: {message}")
    assert " - " in err
    assert tree_digest(project) == before


def test_an_existing_draft_folder_is_not_overwritten(project: Path) -> None:
    """A second draft of the same source refuses, exit 2, leaving the first as it was."""
    text = str(DATA / "ru-institute-note.txt")
    assert run(text, "--project", str(project))[0] == 0
    before = tree_digest(project)
    code, out, err = run(text, "--project", str(project))
    folder = (project / "drafts" / "ru-institute-note").resolve()
    assert (code, out) == (2, "")
    assert err == (
        f"Error: {folder} already exists - review and accept it (etl draft --accept "
        "ru-institute-note), or remove it, or give another --out\n"
    )
    assert tree_digest(project) == before


def test_a_draft_is_never_written_into_raw(project: Path) -> None:
    """--out inside raw/ is refused."""
    before = tree_digest(project / "raw")
    out = project / "raw" / "draft"
    code, _, err = run(
        str(DATA / "ru-institute-note.txt"), "--project", str(project), "--out", str(out)
    )
    assert code == 2
    assert (
        err
        == f"Error: {out.resolve()} is inside raw/ - a draft goes elsewhere (default drafts/ID)\n"
    )
    assert tree_digest(project / "raw") == before


def _review(folder: Path) -> None:
    """Do what a reviewer does: write every cell the draft left as TODO."""
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
        for row in table[1:]:
            row[:] = [f"Reviewed: {c[6:]}" if c.startswith("TODO: ") else c for c in row]
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(table)


def test_accept_into_a_copied_project_then_check(project: Path) -> None:
    """A reviewed draft is appended to raw/ (text copied byte for byte) and `etl check` passes;
    accepting it again is refused as a duplicate."""
    text = DATA / "ru-laboratory-report.txt"
    assert run(str(text), "--project", str(project))[0] == 0
    figures_before = (project / "raw/figures.csv").read_text(encoding="utf-8")
    code, out, err = run("--accept", "ru-laboratory-report", "--project", str(project))
    assert (code, out) == (2, "")
    assert err == (
        "Error: ru-laboratory-report/indicators.csv:2, field unit_en: "
        "\"TODO: English for 'семинар'\" - write it before accepting\n"
    )
    assert (project / "raw/figures.csv").read_text(encoding="utf-8") == figures_before
    _review(project / "drafts" / "ru-laboratory-report")
    code, out, err = run("--accept", "ru-laboratory-report", "--project", str(project))
    assert (code, err) == (0, "")
    assert out.startswith("Accepted ru-laboratory-report into raw/: ")
    assert (project / "raw/texts/ru-laboratory-report.txt").read_bytes() == text.read_bytes()
    drafted = (project / "drafts/ru-laboratory-report/figures.csv").read_text(encoding="utf-8")
    after = (project / "raw/figures.csv").read_text(encoding="utf-8")
    assert after == figures_before + drafted.split("\n", 1)[1]
    check = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert check.exit_code == 0, check.output
    before = tree_digest(project / "raw")
    code, out, err = run("--accept", "ru-laboratory-report", "--project", str(project))
    assert (code, out) == (2, "")
    assert err == (
        "Error: ru-laboratory-report/figure_partners.csv: "
        "figure_id='ru-laboratory-report-figure-1', position='1' is already in "
        "raw/figure_partners.csv - give the draft new ids, or drop the row\n"
    )
    assert tree_digest(project / "raw") == before


def test_accept_refuses_a_missing_draft(project: Path) -> None:
    """--accept of a source never drafted says so, exit 2."""
    code, _, err = run("--accept", "nothing-here", "--project", str(project))
    folder = project.resolve() / "drafts" / "nothing-here"
    assert (code, err) == (
        2,
        f"Error: {folder} is not a draft folder (it has no sources.csv) - draft first\n",
    )


def test_a_second_source_may_waive_a_number_at_the_same_offset(project: Path) -> None:
    """The institute note waives its section number at offset 0, as the seed does: the two
    waivers are cited apart (by source and offset), and `etl check` passes."""
    assert run(str(DATA / "ru-institute-note.txt"), "--project", str(project))[0] == 0
    _review(project / "drafts" / "ru-institute-note")
    assert run("--accept", "ru-institute-note", "--project", str(project))[0] == 0
    with (project / "raw/waivers.csv").open(encoding="utf-8", newline="") as handle:
        at_start = [
            r["source_id"] for r in csv.DictReader(handle) if r["quote"].startswith(r["number"])
        ]
    assert len(set(at_start)) >= 2
    check = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert check.exit_code == 0, check.output
