"""The HTML renderer: one self-contained, printable A4 page (no external files, no scripts).

All user text passes through jinja2's autoescaping; charts are inline SVG drawn by the template
from numbers computed here, so labels are escaped like any other text. The running header of the
printout is a CSS string, so it goes through `css_string` (CSS escapes, never raw text in
<style>).

Printing (checked page by page with scripts/print_report.sh in headless Chromium):
- `@page` margin boxes carry the running header (report, portfolio, date) and "Side 2 af 3";
  Chromium prints them since version 131, as do Firefox and print engines.
- A heading is kept with what follows it: each heading and the next block are one group that
  does not break inside when it is short (a segment's table), and a heading never ends a page.
- Tables with the same columns share one set of column widths (`table-layout: fixed`), so the
  segment tables line up from segment to segment.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from portefolje.reports.model import (
    BarChart,
    Block,
    Fields,
    LineChart,
    Matrix,
    Report,
    Section,
    Subheading,
    Table,
    Timeline,
)
from portefolje.reports.text import fmt

LABELS = {
    "da": {"generated": "Dannet af portefolje", "lang": "da", "page": "Side", "of": "af"},
    "en": {"generated": "Produced by portefolje", "lang": "en", "page": "Page", "of": "of"},
}
MONTHS_SHORT = {
    "da": [
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "maj",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "dec.",
    ],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
KEEP_ROWS = 12  # a heading and a table of at most this many rows never break apart


def css_string(text: str) -> str:
    """`text` as the inside of a double-quoted CSS string: anything but letters, digits and
    plain punctuation becomes a CSS escape, so no text can end the string or the <style>."""
    return "".join(ch if ch.isalnum() or ch in " .,:–-·()" else f"\\{ord(ch):x} " for ch in text)


def document_title(report: Report) -> str:
    """'Statusrapport til Direktørforum – Fælles om målet – 5. juni 2019': the report, then the
    first two facts (the portfolio and the date or period the report covers)."""
    return " – ".join([report.title, *(value for _, value in report.facts[:2] if value)])


def groups(section: Section) -> list[tuple[list[Block], bool]]:
    """The section's blocks in groups that print together: a subheading with the block after it.
    (group, keep) where keep means "do not break inside" (short enough for a page)."""
    out: list[list[Block]] = []
    pending: list[Block] = []
    for block in section.blocks:
        if isinstance(block, Subheading):
            if pending:
                out.append(pending)
            pending = [block]
            continue
        pending.append(block)
        out.append(pending)
        pending = []
    if pending:
        out.append(pending)
    return [(g, all(_rows(b) <= KEEP_ROWS for b in g)) for g in out]


def _rows(block: Block) -> int:
    if isinstance(block, Table):
        return len(block.rows)
    if isinstance(block, Fields):
        return len(block.items) // 2
    if isinstance(block, Timeline):
        return len(block.events) // 2
    return 0


# Column widths are worked out in millimetres of 9 pt text (the table font) on the 184 mm that an
# A4 page has between its margins, with Helvetica/Arial glyph widths (per 1000 em): close enough
# to keep a code or a date from breaking, without a browser to measure it.
_GLYPHS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 .,:;-–·()/",
        [
            556,
            556,
            500,
            556,
            556,
            278,
            556,
            556,
            222,
            222,
            500,
            222,
            833,
            556,
            556,
            556,
            556,
            333,
            500,
            278,
            556,
            500,
            722,
            500,
            500,
            500,
            889,
            611,
            556,
            667,
            667,
            722,
            722,
            667,
            611,
            778,
            722,
            278,
            500,
            667,
            556,
            833,
            722,
            778,
            667,
            778,
            722,
            667,
            611,
            722,
            667,
            944,
            667,
            667,
            611,
            1000,
            778,
            667,
            *[556] * 10,
            278,
            278,
            278,
            278,
            278,
            333,
            556,
            278,
            333,
            333,
            278,
        ],
        strict=True,
    )
)
_EM = 9 * 25.4 / 72  # mm per em at 9 pt
_PADDING = 3.6  # mm: a cell's padding and border
_PAGE = 184.0  # mm across an A4 page between the margins
_SHORT = 22.0  # mm: a column whose longest word is this narrow is never squeezed (codes, dates)
_NOWRAP = ("money", "number", "percent", "years", "date", "year")
_MIN_WIDTH = {
    "date": 11,
    "money": 12,
    "number": 5,
    "percent": 6,
    "health": 8,
    "years": 6,
    "year": 5,
}
_SMALLEST = 7.0  # pt: a table too wide for the page is set smaller, down to this


@functools.lru_cache(maxsize=65536)
def _mm(text: str, bold: bool = False) -> float:
    """Width of `text` in millimetres at 9 pt."""
    width = sum(_GLYPHS.get(ch, 556) for ch in text) / 1000 * _EM
    return width * 1.08 if bold else width


class _Cells:
    """Every table cell formatted once per render: the column widths and the table rows both
    read it (a large report has a few hundred thousand cells)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.done: dict[int, list[list[str]]] = {}

    def __call__(self, block: Table) -> list[list[str]]:
        texts = self.done.get(id(block))
        if texts is None:
            columns = [(c.key, c.kind) for c in block.columns]
            texts = [[fmt(r.get(k), kind, self.lang) for k, kind in columns] for r in block.rows]
            self.done[id(block)] = texts
        return texts


def column_widths(
    report: Report, cells: _Cells | None = None
) -> dict[tuple[str, ...], tuple[list[float], float | None]]:
    """One set of column widths (percent) per set of columns: every table with the same
    columns gets the same widths, sized over all of them. Each column first gets room for its
    longest word (a code or a date never breaks); what is left of the page goes to long text in
    proportion to its length. A table whose words and amounts cannot all fit at 9 pt (ten
    columns of amounts) is set in a smaller type instead of breaking a year or an amount: the
    second value, in points (None at the usual size)."""
    cells = cells or _Cells(report.lang)
    least: dict[tuple[str, ...], list[float]] = {}
    wish: dict[tuple[str, ...], list[float]] = {}
    for section in report.sections:
        for block in section.blocks:
            if not isinstance(block, Table):
                continue
            key = tuple(c.key for c in block.columns)
            low = least.setdefault(key, [0.0] * len(block.columns))
            high = wish.setdefault(key, [0.0] * len(block.columns))
            rows = cells(block)
            for i, column in enumerate(block.columns):
                texts = {row[i] for row in rows}
                words = [_mm(w, bold=True) for w in column.label.split()]
                if column.kind in _NOWRAP:  # amounts and dates never wrap: all of it is a word
                    words += [_mm(text) for text in texts]
                else:
                    words += [_mm(w) for text in texts for w in text.split()]
                floor = _MIN_WIDTH.get(column.kind, 3) * 0.5 * _EM
                low[i] = max(low[i], min(max(words, default=0), 40), floor)
                high[i] = max(high[i], low[i], *(_flowing(_mm(text)) for text in texts))
    return {key: _fit(least[key], wish[key]) for key in least}


_NUMERIC_KINDS = ("money", "number", "percent", "years")


# the same few thousand texts (dates, statuses, codes) fill most cells: escape each once
@functools.lru_cache(maxsize=65536)
def _escape(text: str) -> str:
    return str(escape(text))


_CHIPS = ("green", "yellow", "red")


def table_rows(block: Table, cells: _Cells) -> Markup:
    """A table's <tr> rows, every text escaped (built here, not in the template: a large report
    has a few hundred thousand cells, and this is several times faster than a template loop)."""
    classes = [
        ' class="num"'
        if c.kind in _NUMERIC_KINDS
        else ' class="date"'
        if c.kind in ("date", "year")
        else ""
        for c in block.columns
    ]
    health = [c.kind == "health" for c in block.columns]
    lines = []
    for row, texts in zip(block.rows, cells(block), strict=True):
        parts = ["<tr>"]
        for column, cls, is_health, text in zip(block.columns, classes, health, texts, strict=True):
            value = row.get(column.key) if is_health else None
            chip = f'<span class="chip {value}"></span>' if value in _CHIPS else ""
            parts.append(f"<td{cls}>{chip}{_escape(text)}</td>")
        parts.append("</tr>")
        lines.append("".join(parts))
    return Markup("\n".join(lines))


def _flowing(width: float) -> float:
    """Room asked for by text this wide: all of it when short, and less per millimetre as it
    grows (long text wraps over a few lines), at most 60 mm."""
    return width if width <= 25 else min(25 + (width - 25) / 3, 60)


def _fit(least: list[float], wish: list[float]) -> tuple[list[float], float | None]:
    low = [w + _PADDING for w in least]
    font = None
    if sum(low) > _PAGE:
        # text scales with the type, the padding does not
        text = sum(least)
        size = max(_SMALLEST, 9 * (_PAGE - _PADDING * len(least)) / text) if text else 9.0
        if size < 9:
            font = round(size - 0.05, 1)
            least = [w * font / 9 for w in least]
            wish = [w * font / 9 for w in wish]
            low = [w + _PADDING for w in least]
    high = [w + _PADDING for w in wish]
    spare, extra = _PAGE - sum(low), sum(high) - sum(low)
    if spare <= 0:  # not even every longest word fits: squeeze the long words, not the codes
        fixed = sum(w for w, lo in zip(low, least, strict=True) if lo <= _SHORT)
        squeezed = sum(w for w, lo in zip(low, least, strict=True) if lo > _SHORT)
        scale = max(_PAGE - fixed, 0.3 * squeezed) / squeezed if squeezed else 1.0
        widths = [w if lo <= _SHORT else w * scale for w, lo in zip(low, least, strict=True)]
    elif extra <= 0:
        widths = high
    else:
        share = min(spare / extra, 1.0)
        widths = [lo + (hi - lo) * share for lo, hi in zip(low, high, strict=True)]
    return [round(100 * w / sum(widths), 1) for w in widths], font


def axis_label(value: int, lang: str) -> str:
    """An axis tick: "200 mio. kr." from a million up, else the amount."""
    from portefolje.domain.amounts import format_mio

    if abs(value) >= 1_000_000:
        text = format_mio(value, lang)
        return text.replace(",0 mio.", " mio.").replace(".0m", "m")
    return fmt(value, "money", lang)


def _nice(value: float) -> int:
    """The round number at or above `value` that an axis ends on: 1, 2, 2.5 or 5 times a power
    of ten (337.677.000 -> 400.000.000; its half, 200 mio., is round too)."""
    power = 10 ** max(len(str(int(value))) - 1, 0)
    for step in (1, 2, 2.5, 4, 5, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


def _bars(chart: BarChart) -> dict[str, Any]:
    """Geometry for a grouped bar chart: 640 x 240 px plot, the axis up to a round number."""
    top = _nice(max([v for _, values in chart.series for v in values] + [1]))
    width, height, left, bottom = 640, 240, 70, 30
    plot_w, plot_h = width - left - 10, height - bottom - 20
    group = plot_w / max(len(chart.categories), 1)
    bar = group * 0.8 / max(len(chart.series), 1)
    bars = []
    for ci, _category in enumerate(chart.categories):
        for si, (_name, values) in enumerate(chart.series):
            value = max(values[ci], 0)
            h = plot_h * value / top
            bars.append(
                {
                    "x": round(left + ci * group + group * 0.1 + si * bar, 1),
                    "y": round(20 + plot_h - h, 1),
                    "w": round(bar * 0.92, 1),
                    "h": round(h, 1),
                    "series": si,
                    "value": values[ci],
                }
            )
    ticks = [
        {"y": round(20 + plot_h - plot_h * f, 1), "value": round(top * f)} for f in (0, 0.5, 1)
    ]
    labels = [
        {"x": round(left + ci * group + group / 2, 1), "text": c}
        for ci, c in enumerate(chart.categories)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "labels": labels,
        "left": left,
        "base": 20 + plot_h,
        "right": width - 10,
    }


def _month_labels(months: list[dict[str, Any]], lang: str) -> None:
    """Danish month ticks: "apr. 2020" where the year starts or the axis begins, else "maj";
    every second or third month only when they would run into each other."""
    names = MONTHS_SHORT["en" if lang == "en" else "da"]
    spacing = (months[-1]["x"] - months[0]["x"]) / (len(months) - 1) if len(months) > 1 else 99
    step = 1 if spacing >= 24 else 2 if spacing >= 12 else 3
    shown = False
    for i, m in enumerate(months):
        name = names[m["month"] - 1]
        if i % step:
            m["text"] = ""
        elif not shown or m["month"] == 1:
            m["text"] = f"{name} {m['year']}"
            shown = True
        else:
            m["text"] = name


def _timeline(chart: Timeline, lang: str = "da") -> dict[str, Any]:
    start, end = date.fromisoformat(chart.start), date.fromisoformat(chart.end)
    span = max((end - start).days, 1)
    width, left, right, row = 640, 10, 300, 18
    plot_w = width - left - right
    events = []
    for i, e in enumerate(chart.events):
        day = date.fromisoformat(e["date"])
        x = left + plot_w * min(max((day - start).days, 0), span) / span
        label = e["label"] if len(e["label"]) <= 46 else e["label"][:45] + "…"
        events.append({**e, "label": label, "x": round(x, 1), "y": 28 + i * row})
    months = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        if cursor >= start:
            months.append(
                {
                    "x": round(left + plot_w * (cursor - start).days / span, 1),
                    "month": cursor.month,
                    "year": cursor.year,
                }
            )
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    _month_labels(months, lang)
    return {
        "width": width,
        "height": 36 + len(events) * row,
        "events": events,
        "months": months,
        "left": left,
        "plot_right": left + plot_w,
        "label_x": left + plot_w + 10,
    }


def _lines(chart: LineChart) -> dict[str, Any]:
    """Geometry for a line chart: 640 x 200 px, one polyline per series (gaps break a line)."""
    values = [v for _, vs in chart.series for v in vs if v is not None]
    top = max(values + [1.0]) * 1.1
    low = min(values + [0.0])
    width, height, left, bottom = 640, 200, 60, 26
    plot_w, plot_h = width - left - 20, height - bottom - 14
    n = max(len(chart.categories) - 1, 1)
    x = lambda i: round(left + plot_w * i / n, 1)  # noqa: E731
    y = lambda v: round(14 + plot_h - plot_h * (v - low) / ((top - low) or 1), 1)  # noqa: E731
    lines = []
    for si, (name, vs) in enumerate(chart.series):
        segments: list[list[str]] = []
        current: list[str] = []
        for i, v in enumerate(vs):
            if v is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(f"{x(i)},{y(v)}")
        if current:
            segments.append(current)
        dots = [{"x": x(i), "y": y(v), "value": v} for i, v in enumerate(vs) if v is not None]
        lines.append(
            {"name": name, "series": si, "segments": [" ".join(p) for p in segments], "dots": dots}
        )
    ticks = [
        {"y": y(low + (top - low) * f), "value": round(low + (top - low) * f, 1)}
        for f in (0, 0.5, 1)
    ]
    labels = [{"x": x(i), "text": c} for i, c in enumerate(chart.categories)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - 20,
        "base": 14 + plot_h,
        "lines": lines,
        "ticks": ticks,
        "labels": labels,
    }


def _matrix(block: Matrix) -> dict[str, Any]:
    """Geometry for the risk matrix: square cells, the row axis on the left, the column axis
    below; each cell's codes wrap onto up to three lines (then "+ n")."""
    cell, left, top = 64, 40, 8
    cells = []
    for r, row in enumerate(block.cells):
        for c, codes in enumerate(row):
            lines = list(codes[:3]) if len(codes) <= 3 else [*codes[:2], f"+ {len(codes) - 2}"]
            cells.append(
                {
                    "x": left + c * cell,
                    "y": top + r * cell,
                    "level": block.levels[r][c],
                    "lines": [
                        {"text": line, "y": _line_y(top + r * cell + cell / 2, i, len(lines))}
                        for i, line in enumerate(lines)
                    ],
                }
            )
    width = left + cell * len(block.columns) + 8
    height = top + cell * len(block.rows) + 40
    return {
        "cell": cell,
        "width": width,
        "height": height,
        "cells": cells,
        "row_labels": [
            {"text": t, "y": top + i * cell + cell / 2 + 4} for i, t in enumerate(block.rows)
        ],
        "column_labels": [
            {"text": t, "x": left + i * cell + cell / 2} for i, t in enumerate(block.columns)
        ],
        "left": left,
        "grid_bottom": top + cell * len(block.rows),
        "axis_x": left + cell * len(block.columns) / 2,
        "axis_y": top + cell * len(block.rows) / 2,
    }


def _line_y(middle: float, i: int, n: int) -> float:
    """The baseline of line i of n, centred on `middle` (13 px apart)."""
    return round(middle + (i - (n - 1) / 2) * 13 + 4, 1)


def render_html(report: Report) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fmt"] = lambda value, kind: fmt(value, kind, report.lang)
    env.filters["css_string"] = css_string
    env.filters["axis"] = lambda value: axis_label(value, report.lang)
    cells = _Cells(report.lang)
    widths = column_widths(report, cells)
    env.globals.update(
        rows=lambda block: table_rows(block, cells),
        bars=_bars,
        lines=_lines,
        matrix=_matrix,
        timeline=lambda chart: _timeline(chart, report.lang),
        isinstance=isinstance,
        groups=groups,
        widths=lambda table: widths.get(tuple(c.key for c in table.columns), ([], None))[0],
        font=lambda table: widths.get(tuple(c.key for c in table.columns), ([], None))[1],
    )
    env.globals.update({cls.__name__: cls for cls in _block_classes()})
    return env.get_template("report.html").render(
        report=report,
        labels=LABELS["en" if report.lang == "en" else "da"],
        title=document_title(report),
    )


def _block_classes() -> list[type]:
    from portefolje.reports import model

    return [
        model.Table,
        model.Fields,
        model.Paragraph,
        model.Subheading,
        model.BarChart,
        model.Timeline,
        model.LineChart,
        model.Matrix,
    ]
