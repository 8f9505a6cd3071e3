"""Stored text on a terminal: control characters and escape sequences shown, never obeyed.

A project title pasted from a mail or imported from a sheet can hold an ANSI escape sequence
(colours, cursor moves, a retitled window, a hyperlink), a carriage return that overwrites the
line, a bell, or a bidirectional override that shows text in another order than it is stored.
Printed raw, the terminal obeys them. Every table, record and plain-text report passes stored
text through `printable`, which writes each such character as a visible escape (ESC as "\\x1b",
CR as "\\r", U+202E as "\\u202e"). JSON needs nothing: the encoder escapes them itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# C0 and C1 controls, DEL, and the bidirectional formatting characters (LRE … RLO, LRI … PDI,
# LRM/RLM/ALM), which reorder what the reader sees.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_NEWLINE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character shown as an escape (newlines kept when asked)."""
    pattern = _UNSAFE_KEEP_NEWLINE if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


PADDING = 2  # tabulate's minimum: a column is at least as wide as its header and two


def simple_layout(
    headers: Sequence[str], widths: Sequence[int]
) -> tuple[list[str], Callable[[Sequence[str]], str]]:
    """tabulate's 'simple' table layout for columns of known widths: the header and dash lines,
    and the function that lays out one row of cell texts (left-aligned, two spaces between
    columns, no trailing blanks). The one layout of the terminal's lists and the text reports."""
    fmt = "  ".join(f"{{:<{w}}}" for w in widths).format

    def line(cells: Sequence[str]) -> str:
        return fmt(*cells).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths)], line
