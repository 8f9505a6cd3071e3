"""Reading a JSON document one record at a time: the whole-database document of scale L is
~100 MB of JSON, some 700 MB as Python objects, so the import reads each list of the top-level
object element by element with the standard library's own decoder (`raw_decode`), over text
handed in a piece at a time (about a megabyte: BUFFER). The caller reads the file; this room
only parses what it is given.

Only the plain shape is streamed: one object whose keys come in the order the caller gives, each
once, each list-valued key a list. Anything else (another order, a repeated key, a syntax error,
bytes that are not UTF-8, nesting too deep) raises `Unusual`, and the caller reads the file the
old way, whole, so its refusal or its meaning is exactly what `json.loads` makes of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
BUFFER = 1 << 20  # characters a caller should hand in at a time
LONGEST = 64 << 20  # characters one value may take before the reader gives up streaming


class Unusual(Exception):
    """The document is not in the plain shape (or not JSON): read it whole instead."""


class Stream:
    """A cursor over text that comes in pieces (`pieces`: an iterator of strings, '' at the
    end or when it stops; an error it raises while decoding the file ends streaming)."""

    def __init__(self, pieces: Iterator[str]):
        self.pieces = pieces
        self.buf = ""
        self.pos = 0
        self.eof = False

    def _more(self) -> bool:
        if self.eof:
            return False
        try:
            more = next(self.pieces, "")
        except UnicodeDecodeError:
            raise Unusual from None
        if not more:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + more
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        if self.pos < len(self.buf) and self.buf[self.pos] not in " \t\n\r":
            return self.buf[self.pos]
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise Unusual
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value. A value that ends at the end of the buffer may go on in the
        next one (a number), so it counts only once a character follows it or the file ends."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return value
            except json.JSONDecodeError:
                if self.eof:
                    raise Unusual from None
            except RecursionError:
                raise Unusual from None
            if len(self.buf) - self.pos > LONGEST:
                raise Unusual  # no record is this long: a syntax error, not a short buffer
            self._more()


def top_level(
    pieces: Iterator[str], order: tuple[str, ...], lists: frozenset[str]
) -> Iterator[Any]:
    """(key, value) of the top-level object in `order`; the value of a key in `lists` is an
    iterator over its elements, to be used up before the next pair is asked for."""
    stream = Stream(pieces)
    stream.take("{")
    if stream.peek() == "}":
        stream.pos += 1
        _end(stream)
        return
    seen = -1
    while True:
        if stream.peek() != '"':
            raise Unusual
        key = stream.value()
        place = order.index(key) if key in order else -1
        if place <= seen:
            raise Unusual  # unknown, repeated or out of order: read whole
        seen = place
        stream.take(":")
        if key in lists:
            if stream.peek() != "[":
                raise Unusual
            yield key, _elements(stream)
        else:
            yield key, stream.value()
        following = stream.peek()
        stream.pos += 1
        if following == "}":
            _end(stream)
            return
        if following != ",":
            raise Unusual


def _elements(stream: Stream) -> Iterator[Any]:
    stream.take("[")
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        yield stream.value()
        following = stream.peek()
        stream.pos += 1
        if following == "]":
            return
        if following != ",":
            raise Unusual


def _end(stream: Stream) -> None:
    if stream.peek() != "":
        raise Unusual  # extra data after the document
