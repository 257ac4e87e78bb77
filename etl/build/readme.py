"""dist/README.md, generated from the package descriptor and the tables: never edited by hand."""

from __future__ import annotations

from typing import Any

import polars as pl

from etl.build.citation import bibtex, citation_text
from etl.build.workbook import workbook_name
from etl.tableschema.model import TableSchema


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table_section(name: str, parquet: str, frame: pl.DataFrame, schema: TableSchema) -> list[str]:
    lines = [
        f"### `{name}` ({frame.height} rows)",
        "",
        schema.description,
        "",
        f"Files: `data/{name}.csv` (resource `{name}`), `data/{name}.parquet` "
        f"(resource `{parquet}`).",
    ]
    if schema.primary_key:
        lines.append(f"Primary key: `{', '.join(schema.primary_key)}`.")
    for fk in schema.foreign_keys:
        lines.append(
            f"`{', '.join(fk.fields)}` refers to `{fk.resource}.{', '.join(fk.reference_fields)}`."
        )
    lines += ["", "| field | type | required | description |", "|---|---|---|---|"]
    for field in schema.fields:
        required = "yes" if field.required or field.name in schema.primary_key else ""
        lines.append(f"| `{field.name}` | {field.type} | {required} | {_cell(field.description)} |")
    return [*lines, ""]


def _checks_section(checks: pl.DataFrame) -> list[str]:
    """What the build verified, and what it found in doubt (the `checks` table in words)."""
    counts = checks.group_by("status").len().sort("status").rows()
    tally = ", ".join(f"{n} {status}" for status, n in counts)
    lines = [
        "## What was checked",
        "",
        f"Before publishing, the build ran {checks.height} cross-consistency checks ({tally}); "
        "the `checks` table lists each with what it verifies and what it found. A failed "
        "check of severity error stops the build, so none is published failed. Then the "
        "written files were validated against their schemas by the engine of `etl validate`, "
        "and each table's CSV was compared with its Parquet, before the package was published.",
        "",
    ]
    for row in checks.iter_rows(named=True):
        line = f"- **{row['status']}** `{row['check_id']}`: {_cell(row['description'])}"
        if row["status"] != "passed":
            line += f" Found: {_cell(row['message'])}"
        lines += [line, ""]
    return lines


def _interval_rules(figures: pl.DataFrame) -> list[str]:
    """The rules that give bounds to figures printed without them, as the published rows
    apply them (the checks use the same bounds)."""
    lines = []
    approximate = figures.filter(
        (pl.col("comparator") == "approximately") & pl.col("upper_bound").is_not_null()
    )
    if approximate.height:
        row = approximate.row(0, named=True)
        share = round((row["upper_bound"] - row["value"]) / row["value"] * 100, 6)
        lines += [
            f'An approximate figure ("порядка", "около", "примерно") allows its value '
            f'± {share:g} %: "{row["figure_as_printed"]}" is published with the bounds '
            f"{row['lower_bound']:g} and {row['upper_bound']:g} (the share is declared in "
            "`schemas/checks.yaml` as `settings.approximately`).",
            "",
        ]
    shares = figures.filter(
        pl.col("unit").str.starts_with("share") & (pl.col("upper_bound") == 1.0)
    )
    if shares.height:
        row = shares.row(0, named=True)
        lines += [
            f'A share printed with no upper bound ("{row["figure_as_printed"]}") is bounded '
            "by 1, the whole.",
            "",
        ]
    if lines:
        lines.append("The cross-consistency checks use exactly the published bounds.")
        lines.append("")
    return lines


def _sources_section(sources: pl.DataFrame) -> list[str]:
    """Each source with what is known of it; what is not known is said to be unknown."""
    lines = ["## Sources", ""]
    for row in sources.iter_rows(named=True):
        if row["published_precision"] == "window":
            first, last = row["published_not_before"], row["published_not_after"]
            date = " and ".join(
                part
                for part in (
                    f"not before {first}" if first else "",
                    f"not after {last}" if last else "",
                )
                if part
            )
        else:
            date = f"in the {row['published_precision']} from {row['published_not_before']}"
        facts = [
            f"language `{row['language']}`",
            f"author: {row['author'] or 'not stated in the text'}",
            f"publisher: {row['publisher'] or 'not stated in the text'}",
            f"published {date}",
            f"URL: {row['url'] or 'not known'}",
        ]
        if row["accessed"]:
            facts.append(f"accessed {row['accessed']}")
        lines += [
            f"- `{row['source_id']}`: {row['title_en']} (*{row['title_as_printed']}*, "
            f"`{row['title_language']}`), section {row['section'] or '-'}; "
            f"{'; '.join(facts)}. Text: `{row['path']}`, SHA-256 `{row['sha256']}`, "
            f"{row['characters']} characters. {row['note'] or ''}".rstrip(),
            f"  Rights: {row['licence'] + '. ' if row['licence'] else ''}{row['rights']}",
        ]
        if row["rouble_note"]:
            lines.append(f"  Roubles: {row['rouble_note']}")
    return [*lines, ""]


def _verify_section(figures: pl.DataFrame) -> list[str]:
    """How to check a quote against the shipped text, with no tool but Python."""
    example = figures.row(0, named=True) if figures.height else None
    lines = [
        "## How to verify a quote",
        "",
        "Each source text is shipped in this package, byte for byte, at the `path` its row of "
        "`sources` gives (`sources/ID.txt`, a resource of `datapackage.json` with its SHA-256 as "
        "`hash`). Check the bytes against `sha256`, decode them as UTF-8 and slice the text by "
        "the offsets, which count Unicode code points as Python's `str` does (run it in the "
        "package folder):",
        "",
        "```python",
        "import csv, hashlib",
        "",
        "def rows(table):",
        "    with open(f'data/{table}.csv', encoding='utf-8', newline='') as f:",
        "        return list(csv.DictReader(f))",
        "",
        "sources = {s['source_id']: s for s in rows('sources')}",
        "for figure in rows('figures'):",
        "    source = sources[figure['source_id']]",
        "    data = open(source['path'], 'rb').read()",
        "    assert hashlib.sha256(data).hexdigest() == source['sha256']",
        "    text = data.decode('utf-8')",
        "    assert text[int(figure['quote_start']):int(figure['quote_end'])] == figure['quote']",
        "```",
        "",
    ]
    if example is not None:
        lines += [
            f"For example `{example['figure_id']}` is characters {example['figure_start']} to "
            f"{example['figure_end']} of `sources/{example['source_id']}.txt`: "
            f'"{_cell(example["figure_as_printed"])}". The same holds for `quote` in '
            "`events` and `programme_statements`; `start`..`end` in `citations` locate each "
            "item typed by hand, whose `text_as_typed` matches the text up to white space (a "
            "line break or a no-break space where the item was typed with a space).",
            "",
        ]
    return lines


def _cite_section(descriptor: dict[str, Any]) -> list[str]:
    """The citation as plain text and BibTeX, and what the version number promises."""
    return [
        "## How to cite",
        "",
        citation_text(descriptor),
        "",
        "```bibtex",
        bibtex(descriptor),
        "```",
        "",
        f"Version {descriptor['version']}, released {descriptor['created'][:10]}. "
        f"{descriptor['versioning']}",
        "",
    ]


def render_readme(
    descriptor: dict[str, Any],
    tables: dict[str, pl.DataFrame],
    schemas: dict[str, TableSchema],
) -> str:
    """The dataset's README: what it is, its tables and fields, sources, citation and loading."""
    license_ = descriptor["licenses"][0]
    figures = tables["figures"]
    lines = [
        f"# {descriptor['title']}",
        "",
        f"*{descriptor['title_ru']}* · version {descriptor['version']} · "
        f"data package `{descriptor['name']}`",
        "",
        descriptor["description"],
        "",
        descriptor["description_ru"],
        "",
        "This folder is generated by `etl build` from the transcribed tables in `raw/`; "
        "do not edit it by hand.",
        "",
        "Open `index.html` in a browser to look before you download: every printed figure "
        "as a card (its interval, period and quote, the figure marked, with the characters "
        "of the shipped source text it stands at), a chart of every indicator with more than "
        "one reference date, the quality report and every file with its size. It is one "
        "static file: no server, network or JavaScript needed. It is not a resource of "
        "`datapackage.json`.",
        "",
        "## The table to chart",
        "",
        f"`observations` ({tables['observations'].height} rows) holds every printed and "
        "derived figure in one shape: indicator and English label, one `reference_date` to "
        "plot it at (`reference_basis` says which rule gave it), the period, the value with "
        "the interval the text allows, comparator, unit, currency, source, and the row of "
        "`figures` or `derived_figures` it comes from (`figure_table`, `figure_id`):",
        "",
        "```sql",
        "SELECT label_en, reference_date, value, lower_bound, upper_bound, unit",
        "FROM 'data/observations.parquet' ORDER BY indicator_id, reference_date;",
        "```",
        "",
        "## How each figure is cited",
        "",
        "Every row of `figures` keeps the figure as printed (`figure_as_printed`, e.g. "
        '"более 1,1 тыс.") beside its parsed `value` (1100), `comparator` (`more_than`) and '
        "the interval it allows (`lower_bound`, `upper_bound`). Its `quote` is the exact text of "
        "the source at characters `quote_start`..`quote_end` (Unicode code points from 0, end "
        "excluded); `figure_start`..`figure_end` locate the figure itself. The source texts are "
        "shipped in this package byte for byte (`sources/`), and the `sources` table gives their "
        "SHA-256, so anyone holding the package can check a quote against the exact text it "
        'was taken from (see "How to verify a quote").',
        "",
        'Exact figures printed with a multiplier or decimals are rounded: "9,4 млн" allows '
        "9 350 000 to 9 450 000, and the bounds say so. `derived_figures` are computed by the "
        "pipeline from printed figures (`formula`), never printed in a source.",
        "",
        *_interval_rules(figures),
        f"The package holds {figures.height} printed figures and "
        f"{tables['derived_figures'].height} derived ones.",
        "",
        *_checks_section(tables["checks"]),
    ]
    lines += _verify_section(figures)
    lines += _sources_section(tables["sources"])
    lines += _cite_section(descriptor)
    lines += [
        "## License",
        "",
        f"{license_['title']} ({license_['name']}): {license_['path']}",
        "",
        "## Loading",
        "",
        "DuckDB:",
        "",
        "```sql",
        "SELECT f.figure_as_printed, f.value, f.comparator, i.label_en, f.period_start",
        "FROM 'data/figures.parquet' f JOIN 'data/indicators.parquet' i USING (indicator_id);",
        "```",
        "",
        "pandas:",
        "",
        "```python",
        "import pandas as pd",
        "figures = pd.read_parquet('data/figures.parquet')",
        "partners = pd.read_csv('data/partners.csv', keep_default_na=False, na_values=[''],",
        "                       dtype={'iso_numeric': 'string'})",
        "```",
        "",
        "Frictionless: `frictionless validate datapackage.json`. frictionless-py needs its "
        "parquet extra and pandas to read the Parquet resources: "
        "`pip install 'frictionless[parquet]' pandas`. "
        "Integer columns never hold nulls, so they stay integers when the Parquet files are "
        "read through pandas.",
        "",
        "CSV readers that guess types (DuckDB's `read_csv`, pandas) read code columns such "
        "as `iso_numeric` as numbers, dropping leading zeros: give them the types from "
        "`datapackage.json` (`columns = {...}` in DuckDB, `dtype=` in pandas) or read the "
        "Parquet files, which carry the types.",
        "",
        "Spreadsheets: open the workbook "
        f"`{workbook_name(descriptor['name'])}` (Excel, LibreOffice Calc, Numbers, or "
        "openpyxl): one sheet per table, named as the table, with the header row frozen; "
        "numbers are numbers (to 16 significant digits; the Parquet files hold the exact "
        "values), dates are dates (yyyy-mm-dd), true/false are booleans and an empty cell is "
        "a null. It holds the rows of the CSV and Parquet files, but is "
        "not a resource of `datapackage.json` (Frictionless tools would read it as a second "
        "copy of every table). The CSV files are UTF-8 without a byte-order mark, so a "
        "double-click in Excel shows the Cyrillic garbled: use the workbook, or Data > From "
        "Text/CSV with UTF-8 (65001).",
        "",
        "## Tables",
        "",
    ]
    by_path = {r["path"]: r["name"] for r in descriptor["resources"]}
    for resource in descriptor["resources"]:
        if resource["format"] == "csv":
            name = resource["name"]
            parquet = by_path[f"data/{name}.parquet"]
            lines += _table_section(name, parquet, tables[name], schemas[name])
    return "\n".join(lines).rstrip() + "\n"
