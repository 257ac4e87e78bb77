"""`etl diff` on zips: a hostile zip refused (exit 2, one line) as etl validate refuses it,
through the same extraction (etl.tableschema.zipped), and a zip as `etl release` writes it read
as its folder."""

from __future__ import annotations

import stat
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.build.release import write_zip
from etl.cli import main
from etl.tableschema import zipped
from tests.test_diff import TEXT, V1, V2

DESCRIPTOR = (V1 / "datapackage.json").read_text()
#: The decompressed-size cap of these tests: a 5 MB member is past it.
CAP = "1000000"
BIG = b"0" * 5_000_000


def write(path: Path, members: list[tuple[str | zipfile.ZipInfo, str | bytes]]) -> Path:
    """A deflated zip of the members, in order (a name may come twice); returns its path."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a name used twice
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


def patched(path: Path, name: str, *, size: int | None = None, flags: int = 0) -> Path:
    """The zip with the headers of member `name` made to lie: its size declared as `size`,
    `flags` added to its flag bits (0x1: encrypted)."""
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
    data = bytearray(path.read_bytes())
    (central,) = struct.unpack_from("<I", data, data.rfind(b"PK\x05\x06") + 16)
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        lengths = struct.unpack_from("<HHH", data, central + 28)
        central += 46 + sum(lengths)
    for at, flag_at, size_at in ((local, 6, 22), (central, 8, 24)):
        (bits,) = struct.unpack_from("<H", data, at + flag_at)
        struct.pack_into("<H", data, at + flag_at, bits | flags)
        if size is not None:
            struct.pack_into("<I", data, at + size_at, size)
    path.write_bytes(bytes(data))
    return path


def _symlink(path: Path) -> Path:
    link = zipfile.ZipInfo("stations.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return write(path, [("datapackage.json", DESCRIPTOR), (link, "/etc/passwd")])


def _with(member: tuple[str, str | bytes]) -> Callable[[Path], Path]:
    return lambda path: write(path, [("datapackage.json", DESCRIPTOR), member])


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "declared-size-lies": (
        lambda p: patched(_with(("stations.csv", BIG))(p), "stations.csv", size=1000),
        "is not a readable zip (Bad CRC-32 for file 'stations.csv') - zip the package again",
    ),
    "expands-past-cap": (
        _with(("stations.csv", BIG)),
        f"expands to more than {CAP} bytes - raise the limit with --decompressed-max-bytes "
        "(ETL_DECOMPRESSED_MAX_BYTES) if that is meant",
    ),
    "parent-name": (
        _with(("../stations.csv", "a\n")),
        "holds '../stations.csv', a path leaving the package - refusing to extract it",
    ),
    "absolute-name": (
        _with(("/tmp/stations.csv", "a\n")),
        "holds '/tmp/stations.csv', a path leaving the package - refusing to extract it",
    ),
    "symlink-member": (
        _symlink,
        "holds 'stations.csv', a symlink - refusing to extract it; zip the files it points to "
        "instead",
    ),
    "name-twice": (
        lambda p: write(
            p, [("datapackage.json", DESCRIPTOR), ("stations.csv", "a\n"), ("stations.csv", "b\n")]
        ),
        "holds 'stations.csv' twice - zip the package again with each file once",
    ),
    "encrypted-member": (
        lambda p: patched(_with(("stations.csv", "a\n"))(p), "stations.csv", flags=0x1),
        "holds 'stations.csv' encrypted - zip it without a password",
    ),
    "too-many-members": (
        lambda p: write(p, [(f"{n}.csv", "a\n") for n in range(11)]),
        "holds 11 members, more than the 10 etl diff extracts - unzip it yourself and give its "
        "datapackage.json",
    ),
    "no-descriptor": (
        lambda p: write(p, [("stations.csv", "a\n")]),
        "holds no datapackage.json at its top - zip a data package (its datapackage.json and "
        "its files)",
    ),
    "not-a-zip": (
        lambda p: p.write_bytes(b"PK\x03\x04 not really") and p,
        "is not a readable zip (File is not a zip file) - zip the package again",
    ),
}


@pytest.mark.parametrize("side", ["old", "new"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_zip_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, side: str
) -> None:
    """A hostile or unusable zip, as OLD or NEW: one line naming it and what to do, exit 2."""
    monkeypatch.setenv("ETL_DECOMPRESSED_MAX_BYTES", CAP)
    monkeypatch.setattr(zipped, "MAX_MEMBERS", 10)  # 11 members are too many, and quick
    make, message = HOSTILE[case]
    archive = make(tmp_path / "p.zip")
    args = [str(archive), str(V2)] if side == "old" else [str(V1), str(archive)]
    result = CliRunner().invoke(main, ["diff", *args])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"Error: {archive} {message}\n",
    )


def test_a_lying_header_is_refused_by_etl_validate_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zip whose header declares fewer bytes than it holds: etl validate gives the same
    line as etl diff."""
    monkeypatch.setenv("ETL_DECOMPRESSED_MAX_BYTES", CAP)
    make, message = HOSTILE["declared-size-lies"]
    archive = make(tmp_path / "p.zip")
    result = CliRunner().invoke(main, ["validate", str(archive)])
    assert (result.exit_code, result.stderr) == (2, f"Error: {archive} {message}\n")


def test_decompressed_max_bytes_sets_the_cap(tmp_path: Path) -> None:
    """--decompressed-max-bytes caps what a zip given to etl diff may expand to."""
    archive = _with(("stations.csv", BIG))(tmp_path / "p.zip")
    args = ["diff", str(archive), str(V2), "--decompressed-max-bytes", "4000000"]
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {archive} expands to more than 4000000 bytes - raise the limit with "
        "--decompressed-max-bytes (ETL_DECOMPRESSED_MAX_BYTES) if that is meant\n",
    )


def test_release_zips_diff_as_their_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zips written as etl release writes them (one folder, NAME-VERSION/) diff exactly as
    their folders, and their extracted files are gone when the comparison ends."""
    old, new = tmp_path / "stations-1.zip", tmp_path / "stations-2.zip"
    write_zip(V1, old, "stations-1")
    write_zip(V2, new, "stations-2")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert (result.exit_code, result.output) == (1, TEXT.format(old=old, new=new))
    assert list(scratch.glob("etl-diff-*")) == []


def test_an_invalid_zipped_package_is_named_by_its_zip(tmp_path: Path) -> None:
    """A zipped package with an error is refused with its finding named under the zip
    (`old.zip/stations.csv:3`), not under the folder it was extracted to."""
    stations = (V1 / "stations.csv").read_text().replace("2001-06-15", "June 2001")
    members = [(p.name, p.read_bytes()) for p in sorted(V1.iterdir()) if p.name != "stations.csv"]
    old = write(tmp_path / "old.zip", [*members, ("stations.csv", stations)])
    result = CliRunner().invoke(main, ["diff", str(old), str(V2)])
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {old} is not a valid data package (1 errors, the first: {old}/stations.csv:3 "
        "(opened): error [type-error] 'June 2001'"
    )
    assert "etl-diff-" not in result.output
