"""Text traps in transcribed cells: invisible differences normalised, misleading ones rejected.

Spreadsheets and copy-paste bring characters a transcriber cannot see. Every cell of every
raw table goes through `normalise_cell` when it is loaded, so later stages see one form:

- zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) and soft hyphens (U+00AD)
  are removed;
- no-break and other Unicode spaces (U+00A0, U+202F, U+2007, ... : category Zs) and tabs
  become a plain space;
- line breaks inside a cell (CRLF, CR, U+2028, U+2029) become "\\n";
- letters typed as a base letter plus a combining mark ("и" + U+0306) are composed (NFC);
- white space at either end of a cell is stripped.

`trap` rejects what would silently change a meaning or break matching:

- a word that mixes scripts, such as a Latin "C" typed in "СНГ" (mixed-script);
- any other invisible character: control characters and format controls such as
  U+202E RIGHT-TO-LEFT OVERRIDE, which can make a cell display differently from what it
  holds (invisible-character).

Typographic quote marks and dashes are kept as typed: they are part of what is printed.
"""

from __future__ import annotations

import re
import unicodedata

#: Removed: they change nothing a reader sees.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_REMOVE = str.maketrans(dict.fromkeys(ZERO_WIDTH))
_LINE_BREAK = re.compile(r"\r\n|[\r\u2028\u2029]")
_WORD = re.compile(r"[^\W\d_]+")
_ALLOWED_CONTROLS = frozenset("\n")


def normalise_cell(text: str) -> str:
    """The cell in its one canonical form (see the module docstring)."""
    text = text.translate(_REMOVE)
    text = _LINE_BREAK.sub("\n", text)
    if not text.isascii() or "\t" in text:
        text = "".join(" " if ch == "\t" or unicodedata.category(ch) == "Zs" else ch for ch in text)
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def _script(ch: str) -> str:
    """The script of a letter: the first word of its Unicode name ("LATIN", "CYRILLIC")."""
    return unicodedata.name(ch, "UNKNOWN").split()[0]


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "control character")
    return f"'{ch}' (U+{ord(ch):04X} {name})" if ch.isprintable() else f"U+{ord(ch):04X} {name}"


def mixed_script(text: str) -> str | None:
    """Why a word of `text` mixes scripts (a Latin "C" in "СНГ"), or None when none does.

    The odd letters are those not in the cell's main script: the script most of its letters
    are in (ties go to Cyrillic), so that "КHP" in a Russian sentence names "H" and "P".
    Modifier letters (ʼ) belong to no script.
    """
    words = {
        word: [ch for ch in word if unicodedata.category(ch) != "Lm"]
        for word in _WORD.findall(text)
    }
    mixed = [word for word, letters in words.items() if len({_script(ch) for ch in letters}) > 1]
    if not mixed:
        return None
    scripts = [_script(ch) for letters in words.values() for ch in letters]
    main = max(set(scripts), key=lambda s: (scripts.count(s), s == "CYRILLIC", s))
    odd = [ch for ch in words[mixed[0]] if _script(ch) != main]
    them = "it" if len(odd) == 1 else "them"
    return (
        f"the word {mixed[0]!r} mixes scripts: {', '.join(_describe(ch) for ch in odd)} "
        f"among {main.title()} letters - retype {them} in {main.title()}"
    )


def invisible_character(text: str) -> str | None:
    """Why `text` holds an invisible character that is not normalised away, or None."""
    for position, ch in enumerate(text, start=1):
        if ch in _ALLOWED_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cf"):
            continue
        return (
            f"character {position} is the invisible {_describe(ch)} - delete it "
            "(retype the cell if unsure where it is)"
        )
    return None


def trap(cell: str) -> tuple[str, str] | None:
    """The first trap a normalised cell holds, as ("invisible-character" or "mixed-script",
    why), or None when it holds none."""
    if cell.isascii() and cell.isprintable():
        return None
    problem = invisible_character(cell)
    if problem is not None:
        return "invisible-character", problem
    problem = mixed_script(cell)
    if problem is not None:
        return "mixed-script", problem
    return None
