"""A zipped data package (`etl validate package.zip`, `etl diff old.zip new.zip`): the zip's
files extracted, in a stream and within limits, into a private temporary folder, and its
descriptor found there. This is the one place etl extracts a zip.

frictionless-py reads a zip holding `datapackage.json` at its top as the package it holds;
so does etl validate, and also a zip of one folder holding it (as `etl release` writes).
An untrusted zip is refused (UsageError, exit 2) when a member's name would leave the
folder (absolute, `..`, a drive, a backslash) or is a symlink, when a name is used twice,
when a member is encrypted, when there are more than MAX_MEMBERS members, when the files
expand past the decompressed-size cap (etl.tableschema.sources; counted as the bytes are
written, not only as the zip claims: a member whose header declares fewer bytes than it
holds is cut there by zipfile and fails its CRC, a zip not readable), and when it holds no
descriptor or more than one.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from etl.report.errors import UsageError
from etl.tableschema.sources import DECOMPRESSED_MAX_ENV, decompressed_max_bytes, temporary_file

DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
MAX_MEMBERS = 100_000
#: The command whose messages unzip_package gives unless told another.
VALIDATE = "etl validate"
_CHUNK = 1 << 20


def is_zipped_package(path: Path) -> bool:
    """True for a local `.zip` file, which etl validate reads as a zipped package."""
    return path.suffix.lower() == ".zip" and path.is_file()


def unzip_package(
    archive: Path,
    shown: str | None = None,
    *,
    into: Path | None = None,
    command: str = VALIDATE,
) -> tuple[Path, str]:
    """The descriptor of the package in `archive` (shown as `shown`, its URL when it was
    fetched), extracted, and how to show the folder holding it (`package.zip` or
    `package.zip/folder`). UsageError for a hostile zip.

    The files go into `into` (an empty folder the caller removes), or else into a private
    temporary folder removed when the process exits. `command` is the one the messages name
    (etl validate or etl diff)."""
    name = shown or archive.as_posix()
    try:
        with zipfile.ZipFile(archive) as handle:
            members = [m for m in handle.infolist() if not m.is_dir()]
            _refuse_hostile(name, handle.infolist(), command)
            descriptor = _descriptor(name, [m.filename for m in members], command)
            folder = into if into is not None else temporary_file("package")
            _extract(name, handle, members, folder)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        problem = f"{name} is not a readable zip ({exc}) - zip the package again"
        raise UsageError(problem) from None
    except NotImplementedError as exc:  # a compression method Python does not have
        raise UsageError(f"{name}: {exc} - zip it again with deflate") from None
    inner = PurePosixPath(descriptor).parent
    return folder / descriptor, name if str(inner) == "." else f"{name}/{inner}"


def _refuse_hostile(archive: str, members: list[zipfile.ZipInfo], command: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise UsageError(
            f"{archive} holds {len(members)} members, more than the {MAX_MEMBERS} {command} "
            "extracts - unzip it yourself and give its datapackage.json"
        )
    seen: set[str] = set()
    for member in members:
        name = member.filename
        parts = PurePosixPath(name).parts
        if (
            name.startswith("/")
            or "\\" in name
            or "\x00" in name
            or ".." in parts
            or (parts and ":" in parts[0])
        ):
            raise UsageError(
                f"{archive} holds {name!r}, a path leaving the package - refusing to extract it"
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise UsageError(
                f"{archive} holds {name!r}, a symlink - refusing to extract it; zip the "
                "files it points to instead"
            )
        if member.flag_bits & 0x1:
            raise UsageError(f"{archive} holds {name!r} encrypted - zip it without a password")
        key = name.rstrip("/")
        if key in seen:
            raise UsageError(
                f"{archive} holds {name!r} twice - zip the package again with each file once"
            )
        seen.add(key)


def _descriptor(archive: str, names: list[str], command: str) -> str:
    """The descriptor's name in the zip: at its top, or in its one top folder."""
    found = [n for n in names if PurePosixPath(n).name in DESCRIPTOR_NAMES]
    top = [n for n in found if len(PurePosixPath(n).parts) == 1]
    folders = {PurePosixPath(n).parts[0] for n in names if len(PurePosixPath(n).parts) > 1}
    if not top and len(folders) == 1 and all(len(PurePosixPath(n).parts) > 1 for n in names):
        top = [n for n in found if len(PurePosixPath(n).parts) == 2]
    if not top:
        # etl validate also reads a zipped file as a resource's; etl diff compares packages only
        innerpath = ", or give the file inside with a resource's innerpath"
        other = innerpath if command == VALIDATE else ""
        raise UsageError(
            f"{archive} holds no datapackage.json at its top - zip a data package (its "
            f"datapackage.json and its files){other}"
        )
    if len(top) > 1:
        raise UsageError(
            f"{archive} holds {len(top)} descriptors ({', '.join(sorted(top))}) - keep one "
            "datapackage.json, so that which package it is is not a guess"
        )
    return top[0]


def _extract(
    archive: str, handle: zipfile.ZipFile, members: list[zipfile.ZipInfo], folder: Path
) -> None:
    """Each member copied a megabyte at a time, the bytes written counted against the cap."""
    most = decompressed_max_bytes()
    if sum(m.file_size for m in members) > most:  # what the zip says; the bytes are counted too
        raise UsageError(
            f"{archive} expands to more than {most} bytes - raise the limit with "
            f"--decompressed-max-bytes ({DECOMPRESSED_MAX_ENV}) if that is meant"
        )
    done = 0
    for member in members:
        target = folder / member.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        with handle.open(member) as source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                done += len(chunk)
                if done > most:
                    raise UsageError(
                        f"{archive} expands to more than {most} bytes - raise the limit with "
                        f"--decompressed-max-bytes ({DECOMPRESSED_MAX_ENV}) if that is meant"
                    )
                out.write(chunk)
