"""A Report rendered for people (text), machines (JSON), CI dashboards (JUnit XML) and GitHub."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from etl.report.findings import Finding, Report, Severity, Status

FORMATS = ("text", "json", "junit", "github")
JSON_FORMAT_VERSION = 1
#: Lines of a JSON report joined into one piece to write.
LINES_AT_ONCE = 1000


def failed(report: Report, *, strict: bool) -> bool:
    """True when the run must exit non-zero: any error, or any warning when strict."""
    return bool(report.errors) or (strict and bool(report.warnings))


def render_chunks(report: Report, fmt: str, *, strict: bool = False) -> Iterator[str]:
    """The report in one of FORMATS, in pieces to write one after another (JSON a line
    at a time, the others whole)."""
    if fmt == "json":
        return json_chunks(report, strict=strict)
    return iter([render(report, fmt, strict=strict)])


def render(report: Report, fmt: str, *, strict: bool = False) -> str:
    """The report in one of FORMATS."""
    match fmt:
        case "text":
            return render_text(report)
        case "json":
            return render_json(report, strict=strict)
        case "junit":
            return render_junit(report, strict=strict)
        case "github":
            return render_github(report)
    raise ValueError(f"unknown format {fmt!r}")


def render_text(report: Report) -> str:
    """One line per finding, then one line per declared check (one line for them all when
    none ran, for the same reason)."""
    lines = [f.render() for f in report.findings]
    checks = report.checks
    if len(checks) > 1 and all(
        r.status is Status.NOT_RUN and r.message == checks[0].message for r in checks
    ):
        lines.append(f"{Status.NOT_RUN:<8} all {len(checks)} checks: {checks[0].message}")
        checks = []
    for result in checks:
        lines.append(f"{result.status:<8} {result.check}: {result.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def summary(report: Report) -> dict[str, Any]:
    """Counts of findings and check outcomes."""
    statuses = Counter(str(r.status) for r in report.checks)
    return {
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "checks": {str(s): statuses.get(str(s), 0) for s in Status},
    }


def render_json(report: Report, *, strict: bool = False) -> str:
    """The documented JSON shape (see README, "Quality reports"); keys in a fixed order.

    Checks and findings are written one per line: a long report stays readable with grep
    and diff, and each line is encoded by json's C encoder (an indented dump runs the
    pure-Python one, 2 s for 24,000 findings)."""
    return "".join(json_chunks(report, strict=strict))


def json_chunks(report: Report, *, strict: bool = False) -> Iterator[str]:
    """render_json's text, a line at a time: written as it is made, a report of half a
    million findings never exists as one string (nor as a list of its lines)."""
    head = {
        "format": "etl-report",
        "version": JSON_FORMAT_VERSION,
        "ok": not failed(report, strict=strict),
        "strict": strict,
        "summary": summary(report),
    }
    checks = [
        {
            "check": r.check,
            "kind": r.kind,
            "description": r.description,
            "severity": str(r.severity),
            "status": str(r.status),
            "message": r.message,
        }
        for r in report.checks
    ]
    yield "{\n"
    yield from (f"  {_dump(key)}: {_dump(value)},\n" for key, value in head.items())
    yield from _json_lines("checks", (_dump(check) for check in checks), last=False)
    yield from _json_lines("findings", map(finding_json, report.findings), last=True)
    yield "}\n"


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


#: A JSON string, as `_dump` writes it (json's C function, where there is one).
_text = json.encoder.encode_basestring
_SEVERITIES = {severity: _dump(str(severity)) for severity in Severity}


def finding_json(finding: Finding) -> str:
    """`_dump(finding.to_dict())`, made field by field from the strings json writes: six
    times faster, as a dictionary and an encoder per finding are most of the cost of a large
    report. A finding with cells involved, or with a place of an unusual type, goes through
    to_dict."""
    f = finding
    row, field, value, check = f.row, f.field, f.value, f.check
    severity = _SEVERITIES.get(f.severity)
    if f.involved or severity is None or not (row is None or type(row) is int):
        return _dump(f.to_dict())
    try:  # _text takes strings only
        return (
            f'{{"file": {_text(f.file)}, "row": {"null" if row is None else row}, '
            f'"field": {"null" if field is None else _text(field)}, "kind": {_text(f.kind)}, '
            f'"message": {_text(f.message)}, '
            f'"value": {"null" if value is None else _text(value)}, "severity": {severity}, '
            f'"check": {"null" if check is None else _text(check)}, "involved": []}}'
        )
    except (TypeError, AttributeError):
        return _dump(f.to_dict())


def _json_lines(key: str, items: Iterable[str], *, last: bool) -> Iterator[str]:
    """`"key": [...]`, one item (written as JSON) per line, LINES_AT_ONCE lines a piece."""
    end = "" if last else ","
    lines = iter(items)
    first = next(lines, None)
    if first is None:
        yield f"  {_dump(key)}: []{end}\n"
        return
    yield f"  {_dump(key)}: [\n    {first}"
    while block := list(islice(lines, LINES_AT_ONCE)):
        yield "".join([",\n    ", ",\n    ".join(block)])
    yield f"\n  ]{end}\n"


def _details(findings: list[Finding]) -> str:
    return "\n".join(f.render() for f in findings)


def render_junit(report: Report, *, strict: bool = False) -> str:
    """JUnit XML: a test case per declared check, and one per kind of data finding."""
    root = ET.Element("testsuites", name="etl")
    checks = ET.SubElement(root, "testsuite", name="checks")
    by_check: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.check is not None:
            by_check.setdefault(f.check, []).append(f)
    for result in report.checks:
        case = ET.SubElement(checks, "testcase", classname="checks", name=result.check)
        found = by_check.get(result.check, [])
        fails = result.status is Status.FAILED or (strict and result.status is Status.WARNING)
        if fails:
            node = ET.SubElement(case, "failure", type=str(result.severity), message=result.message)
            node.text = _details(found)
        elif result.status is Status.NOT_RUN:
            ET.SubElement(case, "skipped", message=result.message)
        elif result.status is Status.WARNING:
            ET.SubElement(case, "system-out").text = _details(found) or result.message
    data = ET.SubElement(root, "testsuite", name="data")
    by_kind: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.check is None:
            by_kind.setdefault(f.kind, []).append(f)
    if not by_kind:
        ET.SubElement(data, "testcase", classname="data", name="data")
    for kind, found in sorted(by_kind.items()):
        case = ET.SubElement(data, "testcase", classname="data", name=kind)
        errors = [f for f in found if f.severity is Severity.ERROR]
        if errors or strict:
            message = f"{len(found)} {kind} finding(s)"
            node = ET.SubElement(case, "failure", type=kind, message=message)
            node.text = _details(found)
        else:
            ET.SubElement(case, "system-out").text = _details(found)
    for suite in (checks, data):
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
        suite.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    root.set("tests", str(sum(int(s.get("tests", "0")) for s in (checks, data))))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in (checks, data))))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: one ::error or ::warning annotation per finding."""
    lines = []
    for f in report.findings:
        command = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_property(f.file)}"]
        if f.row is not None:
            props.append(f"line={f.row}")
        title = f.check or f.kind
        props.append(f"title={_escape_property(title)}")
        where = f" ({f.field})" if f.field else ""
        value = f" {f.value!r}:" if f.value is not None else ""
        message = f"{f.file}{':' + str(f.row) if f.row else ''}{where}{value} {f.message}"
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
