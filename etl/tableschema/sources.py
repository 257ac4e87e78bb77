"""A resource's file made plain for the CSV reader: decompressed, its parts joined and its
text transcoded to UTF-8, in a stream into a temporary file.

A plain UTF-8 file of one part is read where it is; anything else is copied once, a
megabyte at a time, into a temporary file removed when it has been checked (or when the
process exits). Decompressed bytes are capped (a few kilobytes of gzip can expand into
terabytes): at most DECOMPRESSED_MAX_BYTES, 1 GiB unless ETL_DECOMPRESSED_MAX_BYTES (or
`etl validate --decompressed-max-bytes`) says otherwise.
"""

from __future__ import annotations

import atexit
import bz2
import codecs
import gzip
import lzma
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from etl.report.errors import UsageError

#: File name suffixes of the compressions read, and the `compression` each stands for.
COMPRESSIONS = {".gz": "gz", ".bz2": "bz2", ".xz": "xz", ".zip": "zip"}
DECOMPRESSED_MAX_BYTES = 1 << 30
DECOMPRESSED_MAX_ENV = "ETL_DECOMPRESSED_MAX_BYTES"
_CHUNK = 1 << 20
_UTF8 = ("utf-8", "utf8", "utf-8-sig")


class _Readable(Protocol):
    """A binary stream, as files, gzip, bz2, lzma and zip members are."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes."""
        ...


class Undecodable(Exception):
    """The text is not in the declared encoding: the problem, for an encoding-error."""


def is_utf8(encoding: str) -> bool:
    """True for the encodings the CSV reader reads as they are."""
    return encoding.lower().replace("_", "-") in _UTF8


def decompressed_max_bytes() -> int:
    """The most bytes a compressed resource may expand to (UsageError for a bad setting)."""
    value = os.environ.get(DECOMPRESSED_MAX_ENV, "").strip()
    if not value:
        return DECOMPRESSED_MAX_BYTES
    if not value.isdigit() or int(value) < 1:
        raise UsageError(
            f"{DECOMPRESSED_MAX_ENV}={value!r} is not a number of bytes - set it to a whole "
            "number, or unset it"
        )
    return int(value)


def temporary_file(name: str) -> Path:
    """A new file's path in a private temporary folder, removed when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix="etl-plain-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder / name


def plain_file(
    parts: tuple[Path, ...],
    compression: str | None,
    innerpath: str | None,
    encoding: str,
    *,
    header: bool,
) -> Path:
    """The parts, decompressed, transcoded to UTF-8 and joined, in a temporary file; with
    a header, the first line of each part after the first is its header, left out (as
    frictionless-py reads several parts).

    Raises Undecodable for text not in `encoding`, UsageError for an unknown compression
    or decompressed bytes beyond the cap."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise Undecodable(
            f"encoding {encoding!r} is not known - name a codec such as latin-1"
        ) from None
    most = decompressed_max_bytes() if compression else None
    target = temporary_file("plain.csv")
    done = 0
    with target.open("wb") as out:
        for number, part in enumerate(parts):
            decoder = None if is_utf8(encoding) else codecs.getincrementaldecoder(encoding)()
            dropping = header and number > 0
            with _opened(part, compression, innerpath) as raw:
                while chunk := raw.read(_CHUNK):
                    done += len(chunk)
                    if most is not None and done > most:
                        raise UsageError(
                            f"{part} expands to more than {most} bytes - raise the limit with "
                            f"--decompressed-max-bytes ({DECOMPRESSED_MAX_ENV}) if that is meant"
                        )
                    text = _transcoded(decoder, chunk, False)
                    if dropping:
                        cut = text.find(b"\n")
                        text, dropping = (b"", True) if cut < 0 else (text[cut + 1 :], False)
                    out.write(text)
            out.write(_transcoded(decoder, b"", True))
    return target


def head_bytes(
    parts: tuple[Path, ...],
    compression: str | None,
    innerpath: str | None,
    *,
    header: bool,
    size: int,
) -> bytes:
    """The first `size` bytes of the parts decompressed and joined as plain_file joins them
    (with a header, each later part's first line left out): frictionless-py detects the
    encoding from them."""
    head = b""
    for number, part in enumerate(parts):
        with _opened(part, compression, innerpath) as raw:
            data = b""
            if header and number > 0:  # past the first line feed, read a chunk at a time
                while (chunk := raw.read(_CHUNK)) and (cut := chunk.find(b"\n")) < 0:
                    pass
                data = chunk[cut + 1 :] if chunk else b""
            head += data[: size - len(head)]
            head += raw.read(size - len(head))
        if len(head) >= size:
            break
    return head


def first_undecodable(path: Path, encoding: str) -> str:
    """Where the file first holds bytes that are not text in `encoding`, and why, for an
    encoding-error (read a megabyte at a time; empty when it holds none)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = lines = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = len(decoder.getstate()[0])  # bytes of a sequence the last chunk cut
            try:
                decoder.decode(chunk, not chunk)
            except UnicodeDecodeError as exc:
                at = done - pending + exc.start  # from the file's start
                line = lines + chunk.count(b"\n", 0, max(at - done, 0)) + 1
                bad, why = exc.object[exc.start], exc.reason
                return f"byte 0x{bad:02X} at offset {at:,} (line {line:,}) is not {encoding}: {why}"
            if not chunk:
                return ""
            done += len(chunk)
            lines += chunk.count(b"\n")


def _transcoded(decoder: codecs.IncrementalDecoder | None, chunk: bytes, final: bool) -> bytes:
    if decoder is None:
        return chunk
    try:
        return decoder.decode(chunk, final).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise Undecodable(
            f"the text is not {exc.encoding}: {exc.reason} - save it in the "
            "encoding the descriptor declares, or declare the one it is in"
        ) from None


@contextmanager
def _opened(path: Path, compression: str | None, innerpath: str | None) -> Iterator[_Readable]:
    """The bytes of one part, decompressed as it is read."""
    if compression is None:
        with path.open("rb") as handle:
            yield handle
    elif compression == "gz":
        with gzip.open(path, "rb") as handle:
            yield handle
    elif compression == "bz2":
        with bz2.open(path, "rb") as handle:
            yield handle
    elif compression == "xz":
        with lzma.open(path, "rb") as handle:
            yield handle
    elif compression == "zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            name = innerpath or (names[0] if names else None)
            if name not in names:
                raise UsageError(
                    f"{path} holds no file {name!r} - give the file inside it as 'innerpath'"
                )
            with archive.open(name) as handle:
                yield handle
    else:
        raise UsageError(
            f"{path}: compression {compression!r} is not read by etl validate - use one of "
            + ", ".join(sorted(set(COMPRESSIONS.values())))
        )
