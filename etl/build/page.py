"""Stage 5, package (the dataset page): dist/index.html, one static HTML file with its style
inline, written after every other file of the package so that it can give their sizes.

It says what the dataset is (in English and Russian, from the package metadata and its
tables), shows every printed figure as a card (`page_figures.py`), a chart of every
indicator with more than one reference date as inline SVG (`page_charts.py`), the quality
report (every row of the `checks` table) and the downloads with their sizes in bytes. It
needs no server, no network and no JavaScript, and every link is to a file of the package.
The page does not give its own size."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import polars as pl

from etl.build.page_charts import Chart, indicator_charts
from etl.build.page_figures import figure_cards

PAGE_NAME = "index.html"

STYLE = """
body { font-family: "Liberation Sans", Arial, sans-serif; margin: 0 auto; max-width: 72rem;
  padding: 1rem 1.5rem 3rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #1f4e8c; padding-bottom: 0.2rem; margin-top: 2.2rem; }
.ru { color: #444; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr));
  gap: 1rem; }
.card { border: 1px solid #c8d1dc; border-radius: 6px; padding: 0.8rem 1rem; }
.card h3 { margin: 0 0 0.3rem; font-size: 1.3rem; color: #1f4e8c; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.6rem;
  margin: 0.4rem 0; }
.card dt { font-weight: bold; }
.card dd { margin: 0; }
.indicator, .where, .note { font-size: 0.9rem; }
blockquote { margin: 0.5rem 0; padding-left: 0.7rem; border-left: 3px solid #c8d1dc; }
mark { background: #ffe28a; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.chart { margin: 0; max-width: 34rem; }
.chart svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #c8d1dc; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; }
td.bytes { text-align: right; font-variant-numeric: tabular-nums; }
.status-passed { color: #1d6b2f; font-weight: bold; }
.status-failed { color: #a0181c; font-weight: bold; }
.status-warning, .status-not_run { color: #8c5a00; font-weight: bold; }
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def about_section(meta: dict[str, Any], tables: dict[str, pl.DataFrame]) -> str:
    """What the dataset is, in English and Russian, with its version, licence and sources."""
    licences = "; ".join(
        f"{lic.get('title', lic['name'])} ({lic['name']})" for lic in meta.get("licenses", [])
    )
    counts = (
        f"{tables['figures'].height} figures printed in {tables['sources'].height} "
        f"source text(s), {tables['derived_figures'].height} figures derived from them, "
        f"{tables['indicators'].height} indicators, {tables['checks'].height} consistency "
        "checks."
    )
    sources = "\n".join(
        f'<li><span lang="ru">{_e(s["title_as_printed"])}</span> ({_e(s["title_en"])}): '
        f'<a href="{_e(s["path"])}">{_e(s["path"])}</a>, {_e(s["characters"])} characters, '
        f"SHA-256 <code>{_e(s['sha256'])}</code>. {_e(s['rights'])}</li>"
        for s in tables["sources"].to_dicts()
    )
    return f"""<header>
<h1>{_e(meta["title"])}</h1>
<p class="ru" lang="ru"><strong>{_e(meta["title_ru"])}</strong></p>
<p>{_e(meta["description"])}</p>
<p class="ru" lang="ru">{_e(meta["description_ru"])}</p>
<p>{_e(counts)}</p>
<p>Version {_e(meta["version"])}, {_e(meta.get("created", ""))}. Licence: {_e(licences)}.
The package is described in <a href="README.md">README.md</a> and
<a href="datapackage.json">datapackage.json</a> (a Frictionless Data Package).</p>
</header>
<section id="sources">
<h2>Sources <span class="ru" lang="ru">· Источники</span></h2>
<ul>
{sources}
</ul>
</section>"""


def figures_section(
    tables: dict[str, pl.DataFrame], texts: dict[str, str], source_paths: dict[str, str]
) -> str:
    """Every printed figure, as a card."""
    indicators = {row["indicator_id"]: row for row in tables["indicators"].to_dicts()}
    cards = figure_cards(tables["figures"].to_dicts(), texts, source_paths, indicators)
    return f"""<section id="figures">
<h2>Figures <span class="ru" lang="ru">· Цифры</span></h2>
<p>Each figure as printed, the value and interval it is read as, its period, and the
sentence it stands in with the figure marked. The character offsets count code points from
the start of the source text.</p>
<div class="cards">
{cards}
</div>
</section>"""


def chart_figure(chart: Chart) -> str:
    """One chart with its caption."""
    dates = ", ".join(chart.dates)
    return (
        f'<figure class="chart" data-indicator-id="{_e(chart.indicator_id)}">\n'
        f"<figcaption><strong>{_e(chart.label_en)}</strong> ({_e(chart.unit)}), at "
        f"{_e(dates)}. The line joins the values; a vertical rule spans the interval a "
        "figure allows where both its bounds are known.</figcaption>\n"
        f"{chart.svg}\n</figure>"
    )


def charts_section(charts: Sequence[Chart]) -> str:
    """The charts of the indicators with more than one reference date."""
    body = (
        "\n".join(chart_figure(c) for c in charts)
        if charts
        else "<p>No indicator has more than one reference date yet.</p>"
    )
    return f"""<section id="charts">
<h2>Indicators over time <span class="ru" lang="ru">· Динамика показателей</span></h2>
<p>Every indicator that the <code>observations</code> table places at more than one
reference date.</p>
<div class="charts">
{body}
</div>
</section>"""


def checks_section(checks: pl.DataFrame) -> str:
    """The quality report: every row of the `checks` table."""
    rows = "\n".join(
        f'<tr id="check-{_e(c["check_id"])}"><td><code>{_e(c["check_id"])}</code></td>'
        f"<td>{_e(c['kind'])}</td><td>{_e(c['severity'])}</td>"
        f'<td class="status-{_e(c["status"])}">{_e(c["status"])}</td>'
        f"<td>{_e(c['description'])}</td><td>{_e(c['message'])}</td></tr>"
        for c in checks.to_dicts()
    )
    return f"""<section id="checks">
<h2>Quality report <span class="ru" lang="ru">· Проверки</span></h2>
<p>Every cross-consistency check run on this data (the <code>checks</code> table).</p>
<table>
<thead><tr><th>check</th><th>kind</th><th>severity</th><th>status</th><th>verifies</th>
<th>message</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</section>"""


def downloads_section(folder: Path, downloads: Sequence[tuple[str, str]]) -> str:
    """The downloads, each `(path, what it is)`, with its size in bytes read from `folder`."""
    rows = "\n".join(
        f'<tr><td><a href="{_e(path)}">{_e(path)}</a></td><td>{_e(what)}</td>'
        f'<td class="bytes">{(folder / path).stat().st_size}</td></tr>'
        for path, what in downloads
    )
    return f"""<section id="downloads">
<h2>Downloads <span class="ru" lang="ru">· Файлы</span></h2>
<table>
<thead><tr><th>file</th><th>what it is</th><th>bytes</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</section>"""


def render_page(
    folder: Path,
    meta: dict[str, Any],
    tables: dict[str, pl.DataFrame],
    texts: dict[str, str],
    downloads: Sequence[tuple[str, str]],
    charts: Sequence[Chart],
) -> str:
    """The whole page, from the package metadata, its tables, the source texts, the
    downloads (already written into `folder`) and the charts."""
    source_paths = {row["source_id"]: row["path"] for row in tables["sources"].to_dicts()}
    body = "\n".join(
        [
            about_section(meta, tables),
            figures_section(tables, texts, source_paths),
            charts_section(charts),
            checks_section(tables["checks"]),
            downloads_section(folder, downloads),
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(meta["title"])}</title>
<style>{STYLE}</style>
</head>
<body>
{body}
</body>
</html>
"""


def write_page(
    folder: Path,
    meta: dict[str, Any],
    tables: dict[str, pl.DataFrame],
    texts: dict[str, str],
    downloads: Sequence[tuple[str, str]],
) -> None:
    """Write dist/index.html into `folder`, after the files it lists."""
    charts = indicator_charts(tables["observations"], tables["indicators"])
    page = render_page(folder, meta, tables, texts, downloads, charts)
    (folder / PAGE_NAME).write_text(page, encoding="utf-8")
