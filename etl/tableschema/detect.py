"""What frictionless-py detects in a CSV file whose descriptor leaves it unsaid, detected
the same way from the same bytes, so that etl reads the file as frictionless reads it.

- The encoding: chardet (the detector frictionless' Detector calls) fed the lines of the
  file's first BUFFER_BYTES bytes; below ENCODING_CONFIDENCE, UTF-8 if those bytes are
  UTF-8; ASCII read as UTF-8.
"""

from __future__ import annotations

import codecs

#: The bytes frictionless reads to detect the encoding (its Detector's buffer_size).
BUFFER_BYTES = 100_000
#: Below this confidence, frictionless takes UTF-8 if the bytes decode as UTF-8.
ENCODING_CONFIDENCE = 0.5


def detect_encoding(buffer: bytes) -> str:
    """The encoding frictionless-py reads a file in when its descriptor declares none, from
    the file's first BUFFER_BYTES bytes, as Python names it (a name Python does not know
    is returned as detected: the reading refuses it, as frictionless does)."""
    from chardet import UniversalDetector  # 30 ms to import: only for files that need it

    detector = UniversalDetector()
    for line in buffer.splitlines():  # line ends left out, as frictionless feeds them
        detector.feed(line)
    detector.close()
    encoding = detector.result["encoding"] or "utf-8"
    if (detector.result["confidence"] or 0) < ENCODING_CONFIDENCE:
        try:
            buffer.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass
    if encoding == "ascii":
        encoding = "utf-8"
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    if encoding == "utf-8" and buffer.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if (encoding, buffer[:2]) in (
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", codecs.BOM_UTF16_LE),
    ):
        return "utf-16"  # which leaves the byte-order mark out
    return encoding
