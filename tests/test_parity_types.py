"""Parity with frictionless-py on the types that hold more than one value (geopoint in its
three formats, duration, array, object, geojson and topojson) and on the special numbers
NaN and infinity.

Each case is one CSV resource validated by both tools: the same (resource, row, field,
type) set, and the same verdict on a file without faults.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.tableschema.engine import validate_package
from tests.test_parity import etl_keys, field, frictionless_keys
from tests.test_parity_descriptors import write

#: name: (field, CSV text of the column `v` after its label, with a fault in each row
#: but the first).
TYPE_CASES: dict[str, tuple[dict[str, object], str]] = {
    "geopoint-default": (
        field("v", "geopoint"),
        '"1.5, -2"\n"200,1"\nx\n"1,2,3"\n"NaN,1"\n"1,-91"\n',
    ),
    "geopoint-array": (
        field("v", "geopoint", format="array"),
        '"[1, 2]"\n"[1]"\n"[200, 1]"\n"{}"\n"[true, 1]"\n',
    ),
    "geopoint-object": (
        field("v", "geopoint", format="object"),
        '"{""lon"": 1, ""lat"": 2}"\n"{""lon"": 1}"\n"{""lon"": 1, ""lat"": 2, ""x"": 3}"\n'
        '"{""lon"": 1, ""lat"": 95}"\n"[1, 2]"\n',
    ),
    "duration": (field("v", "duration"), "P1Y2M3DT4H5M6S\n1 day\nP1X\nPT\n"),
    "array": (field("v", "array"), '"[1, ""a""]"\n"{}"\nx\n"[1,"\n'),
    "object": (field("v", "object"), '"{""a"": 1}"\n"[1]"\nx\n"""a"""\n'),
    "geojson": (
        field("v", "geojson"),
        '"{""type"": ""Point"", ""coordinates"": [1, 2]}"\n"{""type"": ""Point""}"\n"[1]"\nx\n'
        '"{""type"": ""Nowhere"", ""coordinates"": []}"\n',
    ),
    "topojson": (
        field("v", "geojson", format="topojson"),
        '"{""type"": ""Topology"", ""objects"": {}, ""arcs"": []}"\n"{""type"": ""Topology""}"\n'
        '"{}"\n',
    ),
    "required-geopoint": (field("v", "geopoint", constraints={"required": True}), '"1,2"\n\n""\n'),
    "special-numbers": (field("v", "number"), "NaN\nINF\n-INF\ninf\n-Infinity\nnan\nNAN1\n"),
    "special-numbers-are-not-integers": (field("v", "integer"), "1\nNaN\nINF\n-INF\n"),
}


def _package(folder: Path, case: str, *, faulty: bool = True) -> Path:
    spec, column = TYPE_CASES[case]
    rows = column.splitlines(keepends=True)
    text = "k,v\n" + "".join(f"{i},{row}" for i, row in enumerate(rows if faulty else rows[:1]))
    return write(folder, text, {"fields": [field("k", "integer"), spec]})


@pytest.mark.parametrize("case", sorted(TYPE_CASES))
def test_same_findings_as_frictionless_for_a_type(case: str, tmp_path: Path) -> None:
    """A column of the type with faults: the same findings in both tools."""
    descriptor = _package(tmp_path, case)
    ours = etl_keys(validate_package(descriptor), descriptor)
    assert ours == frictionless_keys(descriptor)
    if case != "special-numbers":
        assert ours  # NaN and the infinities are numbers to both: no finding there


@pytest.mark.parametrize("case", sorted(TYPE_CASES))
def test_readable_cell_is_valid_in_both(case: str, tmp_path: Path) -> None:
    """The first cell of each case alone: valid in both tools."""
    descriptor = _package(tmp_path, case, faulty=False)
    assert etl_keys(validate_package(descriptor), descriptor) == set()
    assert frictionless_keys(descriptor) == set()
