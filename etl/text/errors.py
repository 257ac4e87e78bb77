"""The text layer's exceptions: a printed text it cannot read, or language data it lacks."""

from __future__ import annotations


class ParseError(ValueError):
    """A printed figure, period or name cannot be read; the message says why."""


class MissingLanguageData(RuntimeError):
    """An installed library lacks the language data a parser needs (a broken install)."""
