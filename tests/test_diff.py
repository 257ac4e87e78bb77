"""`etl diff`: two small packages, their zips, bad inputs, and our package after a one-figure
correction in raw/."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from etl.cli import main
from etl.tableschema.diff import diff_tables
from tests.projects import ROOT, copy_project, correct_one_figure
from tests.test_pattern_timeout import LOOK_AHEAD, one_table, timed_out

DATA = Path(__file__).parent / "data" / "diff"
V1, V2 = DATA / "stations-v1", DATA / "stations-v2"

TEXT = """\
{old} -> {new}
table added: lines
table removed: retired
table stations: 1 added, 1 removed, 1 changed
  field added: operator
  field removed: keeper
  added: station_id="east"
  removed: station_id="west"
  changed: station_id="south"
    name: "South Bay" -> "South Bay Pier"
    height_m: 2.0 -> 2.5
table readings: 1 added, 2 removed
  note: readings has no primary key: rows are compared whole (a changed row is removed and added)
  added: station_id="south", value=3
  removed: station_id="north", value=1
  removed: station_id="south", value=2
"""


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.output


def test_text_lists_tables_fields_and_rows_by_primary_key() -> None:
    """Tables and fields added and removed, rows added, removed and changed (each changed
    field old and new; '310.5' and '310.50' are one number), and a table without a primary
    key compared whole, saying so; exit 1."""
    code, output = _diff(str(V1), str(V2))
    assert (code, output) == (1, TEXT.format(old=V1, new=V2))


def test_markdown_puts_changed_fields_in_a_table() -> None:
    """Markdown: a section per changed table, a list of added and removed rows, and a table
    of the changed fields."""
    code, output = _diff(str(V1), str(V2), "--format", "markdown")
    assert code == 1
    assert output.startswith("- Table added: `lines`\n- Table removed: `retired`\n\n")
    assert (
        "### `stations`: 1 added, 1 removed, 1 changed\n\n- Field added: `operator`\n"
        '- Field removed: `keeper`\n- Added: station_id="east"\n- Removed: station_id="west"\n\n'
        "| row | field | old | new |\n|---|---|---|---|\n"
        '| station_id="south" | `name` | South Bay | South Bay Pier |\n'
        '| station_id="south" | `height_m` | 2.0 | 2.5 |\n'
    ) in output
    assert "`readings` has no primary key: rows are compared whole" in output


def test_json_holds_whole_rows_and_typed_values() -> None:
    """JSON: added and removed rows whole, dates in ISO 8601, nulls as null."""
    code, output = _diff(str(V1), str(V2), "--format", "json")
    data = json.loads(output)
    assert code == 1 and data["equal"] is False
    stations = next(t for t in data["tables"] if t["table"] == "stations")
    assert stations["added"] == [
        {
            "station_id": "east",
            "name": "East Gate",
            "opened": "2024-02-29",
            "height_m": None,
            "operator": None,
        }
    ]
    assert stations["changed"] == [
        {
            "key": {"station_id": "south"},
            "fields": [
                {"field": "name", "old": "South Bay", "new": "South Bay Pier"},
                {"field": "height_m", "old": 2.0, "new": 2.5},
            ],
        }
    ]


def test_equal_packages_exit_0() -> None:
    """A package compared with itself: no difference, exit 0, in every format; the text
    still says how a table without a primary key was compared."""
    assert _diff(str(V1), str(V1)) == (
        0,
        f"{V1} -> {V1}\ntable readings: no row changed\n"
        "  note: readings has no primary key: rows are compared whole (a changed row is "
        "removed and added)\nno difference\n",
    )
    assert _diff(str(V1), str(V1), "--format", "markdown") == (0, "No difference.\n")
    code, output = _diff(str(V1), str(V1), "--format", "json")
    assert code == 0 and json.loads(output)["equal"] is True


def _zip(folder: Path, target: Path, prefix: str) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, prefix + path.name)
    return target


def test_zips_compare_as_their_folders(tmp_path: Path) -> None:
    """A zip holding the package's files, or a folder of them, reads as the folder."""
    old = _zip(V1, tmp_path / "v1.zip", "")
    new = _zip(V2, tmp_path / "v2.zip", "stations-2/")
    assert _diff(str(old), str(new)) == (1, TEXT.format(old=old, new=new))


def test_a_zip_member_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    """A zip member named ../x is not extracted: exit 2 naming it."""
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../evil.csv", "a\n")
    code, output = _diff(str(bad), str(V2))
    assert code == 2
    assert output == (
        f"Error: {bad} holds '../evil.csv', a path leaving the package - refusing to extract it\n"
    )


def test_missing_and_invalid_packages_exit_2(tmp_path: Path) -> None:
    """A path that is not there, and a package with errors, are usage errors (exit 2)."""
    missing = tmp_path / "nothing"
    assert _diff(str(missing), str(V2)) == (
        2,
        f"Error: {missing} does not exist - give a package folder, descriptor or zip\n",
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "datapackage.json").write_text((V1 / "datapackage.json").read_text())
    (broken / "stations.csv").write_text("station_id,name,opened,height_m,keeper\nn,N,soon,1,\n")
    (broken / "readings.csv").write_text("station_id,value\n")
    (broken / "retired.csv").write_text("station_id\n")
    code, output = _diff(str(broken), str(V2))
    assert code == 2
    assert output.startswith(f"Error: {broken} is not a valid data package (1 errors, the first: ")
    assert output.endswith(" - run `etl validate` on it and fix it first\n")


def test_a_changed_primary_key_falls_back_to_whole_rows() -> None:
    """When the key differs between the versions, rows compare whole and the note says why."""
    old = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    new = pl.DataFrame({"a": [1, 2], "b": ["x", "z"]})
    table = diff_tables("t", old, ("a",), new, ("a", "b"))
    assert table.note == "changed its primary key (a before, a, b now): rows are compared whole"
    assert (table.added, table.removed, table.changed) == (
        [{"a": 2, "b": "z"}],
        [{"a": 2, "b": "y"}],
        [],
    )


def test_a_one_figure_correction_in_raw_gives_its_exact_diff(tmp_path: Path) -> None:
    """A source revised to print "свыше 45" for "свыше 40", corrected in raw/ and rebuilt:
    the diff against the committed dist/ is the shipped text, that figure, its observation,
    its citation and the text's SHA-256, in each table's CSV and Parquet resource."""
    project = copy_project(tmp_path / "project")
    change = correct_one_figure(project)
    fid, quote, new_quote = change["figure_id"], change["quote"], change["new_quote"]
    old_sha, new_sha = change["old_sha"], change["new_sha"]
    build = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert build.exit_code == 0, build.output

    figures = [
        "1 changed",
        f'  changed: figure_id="{fid}"',
        '    figure_as_printed: "свыше 40" -> "свыше 45"',
        "    value: 40.0 -> 45.0",
        "    lower_bound: 40.0 -> 45.0",
        f'    quote: "{quote}" -> "{new_quote}"',
    ]
    sources = [
        "1 changed",
        '  changed: source_id="by-infomaterial-2023-s4"',
        f'    sha256: "{old_sha}" -> "{new_sha}"',
    ]
    citations = [
        "1 changed",
        f'  changed: table="figures", row_id="{fid}", field="figure"',
        '    text_as_typed: "свыше 40" -> "свыше 45"',
    ]
    observations = [
        "1 changed",
        f'  changed: figure_table="figures", figure_id="{fid}"',
        "    value: 40.0 -> 45.0",
        "    lower_bound: 40.0 -> 45.0",
    ]
    changed = {
        "figures": figures,
        "sources": sources,
        "citations": citations,
        "observations": observations,
    }
    descriptor = json.loads((project / "dist" / "datapackage.json").read_text(encoding="utf-8"))
    expected = [f"{ROOT / 'dist'} -> {project / 'dist'}"]
    # the one text revised is the seed's (any other source's text is unchanged)
    expected += ["file changed: source-by-infomaterial-2023-s4"]
    for resource in descriptor["resources"]:
        lines = changed.get(resource["name"].removesuffix("-parquet"))
        if lines is not None:
            expected += [f"table {resource['name']}: {lines[0]}", *lines[1:]]
    code, output = _diff(str(ROOT / "dist"), str(project / "dist"))
    assert (code, output.splitlines()) == (1, expected)


def test_a_text_resource_is_compared_by_its_bytes(tmp_path: Path) -> None:
    """A resource that is a file, not a table (a shipped source text), is compared by its
    bytes: the committed dist/ equals itself, and a changed text is a changed file."""
    assert _diff(str(ROOT / "dist"), str(ROOT / "dist"))[0] == 0
    for name, text in (("old", "Более 100 договоров.\n"), ("new", "Более 120 договоров.\n")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "t.csv").write_text("n\n1\n", encoding="utf-8")
        (folder / "source.txt").write_text(text, encoding="utf-8")
        resources = [
            {
                "name": "t",
                "path": "t.csv",
                "schema": {"fields": [{"name": "n", "type": "integer"}], "primaryKey": ["n"]},
            },
            {"name": "source", "path": "source.txt", "format": "txt", "mediatype": "text/plain"},
        ]
        (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    old, new = tmp_path / "old", tmp_path / "new"
    assert _diff(str(old), str(new)) == (1, f"{old} -> {new}\nfile changed: source\n")
    code, output = _diff(str(old), str(new), "--format", "json")
    assert (code, json.loads(output)["files_changed"]) == (1, ["source"])


def test_the_record_limit_is_an_option_and_is_restored() -> None:
    """--max-record-bytes reads both packages with that limit, for this command only: a
    10-byte limit refuses stations-v1, whose header is longer."""
    code, output = _diff(str(V1), str(V2), "--max-record-bytes", "10")
    assert code == 2
    assert output.startswith(
        f"Error: {V1} is not a valid data package (2 errors, the first: "
        f"{(V1 / 'stations.csv').as_posix()}:1: error [source-error] the record starting at "
        "row 1 is longer than 10 bytes, the longest etl validate reads;"
    )
    assert "ETL_MAX_RECORD_BYTES" not in os.environ
    assert _diff(str(V1), str(V2))[0] == 1


def test_the_pattern_time_limit_is_an_option_and_is_restored(tmp_path: Path) -> None:
    """--pattern-timeout bounds each pattern on each cell as etl validate does; the refusal
    names the finding with the limit given."""
    cell = "a" * 23  # Python's re takes about half a second on it with this look-ahead
    one_table(tmp_path, LOOK_AHEAD, ["ab", cell])
    code, output = _diff(str(tmp_path), str(tmp_path), "--pattern-timeout", "0.05")
    assert code == 2
    assert output.startswith(
        f"Error: {tmp_path} is not a valid data package (1 errors, the first: "
        f"{(tmp_path / 't.csv').as_posix()}:3 (code): error [pattern-timeout] '{cell}': "
        + timed_out(LOOK_AHEAD, "0.05", 23)
    )
    assert "ETL_PATTERN_TIMEOUT" not in os.environ
