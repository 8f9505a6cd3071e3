"""The HTML renderer: one self-contained, printable A4 page (no external files, no scripts).

All user text passes through jinja2's autoescaping; charts are inline SVG drawn by the template
from numbers computed here, so labels are escaped like any other text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from portefolje.reports.model import BarChart, LineChart, Matrix, Report, Timeline
from portefolje.reports.text import fmt

LABELS = {
    "da": {"generated": "Dannet af portefolje", "lang": "da"},
    "en": {"generated": "Produced by portefolje", "lang": "en"},
}


def _bars(chart: BarChart) -> dict[str, Any]:
    """Geometry for a grouped bar chart: 640 x 240 px plot."""
    top = max([v for _, values in chart.series for v in values] + [1])
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


def _timeline(chart: Timeline) -> dict[str, Any]:
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
                    "text": f"{cursor.month}/{cursor.year % 100:02d}",
                }
            )
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
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
    return {"width": width, "height": height, "left": left, "right": width - 20,
            "base": 14 + plot_h, "lines": lines, "ticks": ticks, "labels": labels}


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
    env.globals.update(
        bars=_bars, timeline=_timeline, lines=_lines, matrix=_matrix, isinstance=isinstance
    )
    env.globals.update({cls.__name__: cls for cls in _block_classes()})
    return env.get_template("report.html").render(report=report, labels=LABELS[report.lang])


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
