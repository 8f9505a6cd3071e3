"""The presentation model every report is built into once, and every renderer reads.

A report is a title, some facts, and sections of blocks: typed tables, label/value fields,
paragraphs and charts. Values stay raw (ints, ISO dates) with a kind, so each renderer formats
them its own way (Danish text, Excel numbers with a kroner format). `data` is the report's JSON
content, and `rows` the one flat table a CSV export holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# "year" is a calendar year (2019: a number, never "2.019"); "years" is a duration in years (a
# payback time): a number, or a text where there is none ("ingen tilbagebetaling inden for 20 år");
# XLSX writes the number with a years format.
Kind = Literal["text", "date", "money", "number", "percent", "list", "health", "year", "years"]


@dataclass
class Column:
    key: str
    label: str
    kind: Kind = "text"


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Any]]
    empty: str = ""
    # the rows are a selection of more (a long list shortened): a renderer that sums the rows
    # says the sum is of those shown, not of everything
    partial: bool = False


@dataclass
class Fields:
    """Label/value pairs: (label, value, kind)."""

    items: list[tuple[str, Any, Kind]]


@dataclass
class Paragraph:
    text: str


@dataclass
class Subheading:
    text: str


@dataclass
class BarChart:
    """Grouped bars per category (e.g. per year: target, estimated, documented)."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[int]]]  # (label, one value per category)
    unit: str = "kr."


@dataclass
class Timeline:
    """Dated events on one axis (milestones and committee meetings)."""

    title: str
    start: str
    end: str
    events: list[dict[str, str]]  # date, label, kind ("milestone" | "meeting"), state


@dataclass
class LineChart:
    """Values over time, one line per series (the trend over published reports). A series may
    have gaps (None)."""

    title: str
    categories: list[str]  # ISO dates, in order
    series: list[tuple[str, list[float | None]]]
    unit: str = ""  # "%" or "kr." or "" (a count)


@dataclass
class Matrix:
    """A grid of cells with labels in them: the 5×5 risk matrix (probability rows from the
    highest at the top, consequence columns from the lowest at the left). Each cell lists the
    codes of the risks whose latest assessment lands there and has a level ("low", "medium",
    "high") that colours it."""

    title: str
    row_axis: str  # what the rows measure ("Sandsynlighed")
    column_axis: str  # what the columns measure ("Konsekvens")
    rows: list[str]  # row labels, top to bottom
    columns: list[str]  # column labels, left to right
    cells: list[list[list[str]]]  # [row][column] -> labels in the cell
    levels: list[list[str]]  # [row][column] -> level
    legend: list[tuple[str, str]] = field(default_factory=list)  # (level, text)


Block = Table | Fields | Paragraph | Subheading | BarChart | Timeline | LineChart | Matrix


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    title: str
    lang: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    data: dict[str, Any]
    rows: Table | None = None
