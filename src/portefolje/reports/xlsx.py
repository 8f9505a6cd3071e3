"""The XLSX renderer: a first sheet about the report, then one sheet per report section.

- The first sheet ("Om rapporten") names the report, the portfolio, the as-of date, the price
  level (when the report has one) and when it was made, and lists the sheets with their full
  section titles. "Made" comes from the data, never the clock: the report's generation time if
  its data carries one, else its as-of date.
- Sheet names are stable and readable: a short name per known section ("Ændringer", not
  "Ændringer siden 6. maj 2019", which changes every month), else the title shortened at a word;
  always valid for Excel (cells.sheet_name).
- Values are typed: amounts are numbers with a kroner format, dates are dates, years and counts
  are whole numbers ("2019", "127"; never "2.019" or "127,"), a payback time is a number of years
  with a format ("3,5 år"), and text is text. A cell that starts with = + - @ (or a tab or
  carriage return) gets Excel's quote prefix, so no spreadsheet ever evaluates it.
- A table with amounts ends with a total row ("I alt"; "I alt, viste" under a list that shows
  only some of its rows), and where its rows come in groups
  (per department, per project over the years) each group gets a subtotal. Running totals
  (cumulative columns) are not summed.

The workbook's timestamps are fixed to the report's as-of date, so the same database and
--as-of give the same bytes.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from portefolje.cells import XLSX_CELL_LIMIT, is_formula_like, sheet_name
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg, number
from portefolje.reports.model import (
    BarChart,
    Column,
    Fields,
    Kind,
    LineChart,
    Matrix,
    Paragraph,
    Report,
    Section,
    Subheading,
    Table,
    Timeline,
)
from portefolje.reports.text import fmt

LABELS = {
    "da": {
        "about": "Om rapporten",
        "report": "Rapport",
        "portfolio": "Portefølje",
        "all": "Alle porteføljer",
        "as_of": "Opgjort pr.",
        "price_level": "Prisniveau",
        "as_registered": "som registreret",
        "made": "Dannet",
        "made_by": "Dannet af portefolje",
        "sheets": "Ark",
        "sheet": "Ark",
        "contents": "Indhold",
        "total": "I alt",
        "total_shown": "I alt, viste",
        "subtotal": "{g} i alt",
        "years": '0.0 "år"',
    },
    "en": {
        "about": "About",
        "report": "Report",
        "portfolio": "Portfolio",
        "all": "All portfolios",
        "as_of": "As of",
        "price_level": "Price level",
        "as_registered": "as registered",
        "made": "Made",
        "made_by": "Made by portefolje",
        "sheets": "Sheets",
        "sheet": "Sheet",
        "contents": "Contents",
        "total": "Total",
        "total_shown": "Total, shown",
        "subtotal": "{g} total",
        "years": '0.0 "years"',
    },
}

# Short, stable sheet names for the sections the reports have (section key -> da, en).
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "overview": ("Overblik", "Overview"),
    "trend": ("Udvikling", "Trend"),
    "projects": ("Projekter", "Projects"),
    "indicators": ("Effektmål", "Indicators"),
    "risks": ("Risici", "Risks"),
    "governance": ("Beslutninger og handlinger", "Decisions and actions"),
    "pipeline": ("Forslag", "Proposals"),
    "calendar": ("Udvalgskalender", "Committee calendar"),
    "changes": ("Ændringer", "Changes"),
    "paused_closed": ("Pause og afsluttet", "Paused and closed"),
    "departments": ("Afdelinger", "Departments"),
    "areas": ("Styringsområder", "Budget areas"),
}

_NUMERIC: tuple[Kind, ...] = ("money", "number", "percent", "years")


def _is_number(value: Any) -> bool:
    # a tuple, not int | float: isinstance with a union type is twice as slow, 400,000 calls at L
    return isinstance(value, (int, float)) and not isinstance(value, bool)  # noqa: UP038


def _years(column: Column, row: dict[str, Any]) -> float | None:
    """A duration in years to write as a number: a "years" column's number, or the numeric
    companion `<key>_years` that a text column of a payback time carries beside its text."""
    if column.kind == "years":
        value: Any = row.get(column.key)
        return float(value) if _is_number(value) else None
    if column.kind == "text":  # the only kind with a companion: the key is made only here
        companion: Any = row.get(f"{column.key}_years")
        return float(companion) if _is_number(companion) else None
    return None


def _is_year(column: Column) -> bool:
    return (
        column.kind == "year"
        or column.key in ("year", "from_year", "to_year")
        or column.key.endswith("_year")
    )


def _summable(column: Column) -> bool:
    return column.kind == "money" and not column.key.startswith("cumulative")


def _with_totals(table: Table, t: dict[str, str]) -> list[tuple[dict[str, Any], bool]]:
    """The table's rows, with group subtotals and a grand total when it has amounts.
    Returns (row, is_total) pairs."""
    rows = [(r, False) for r in table.rows]
    money = [c for c in table.columns if _summable(c)]
    if not money or not table.rows:
        return rows
    first = table.columns[0]

    def total(items: list[dict[str, Any]], label: str) -> dict[str, Any]:
        out: dict[str, Any] = {first.key: label}
        for c in money:
            values = [r.get(c.key) for r in items]
            out[c.key] = sum(v or 0 for v in values if _is_number(v))
        return out

    groups: list[tuple[Any, list[dict[str, Any]]]] = []
    if first.kind == "text" and first not in money:
        for r in table.rows:
            key = r.get(first.key)
            if groups and groups[-1][0] == key:
                groups[-1][1].append(r)
            else:
                groups.append((key, [r]))
    grouped = 1 < len(groups) < len(table.rows)
    out: list[tuple[dict[str, Any], bool]] = []
    if grouped:
        for key, items in groups:
            out += [(r, False) for r in items]
            if len(items) > 1:
                out.append((total(items, t["subtotal"].format(g=key)), True))
    else:
        out = rows
    if len(table.rows) > 1:
        out.append((total(table.rows, t["total_shown" if table.partial else "total"]), True))
    return out


def _sheet_title(key: str, title: str, lang: str) -> str:
    names = SHEET_NAMES.get(key)
    return names[1 if lang == "en" else 0] if names else title


_FORMATS: dict[str, dict[str, Any]] = {
    "head": {"bold": True, "bg_color": "#EEF2F5", "border": 1},
    "title": {"bold": True, "font_size": 14},
    "sub": {"bold": True, "font_size": 11},
    "label": {"bold": True},
    "money": {"num_format": '#,##0 "kr."'},
    "int": {"num_format": "#,##0"},
    "year": {"num_format": "0"},
    "decimal": {"num_format": "#,##0.0"},
    "percent": {"num_format": "0.0%"},
    "day": {"num_format": "dd-mm-yyyy", "align": "left"},
    "quoted": {"quote_prefix": True},
    # the risk matrix's bands, coloured as the HTML page colours them
    "level_low": {"bg_color": "#CDEBD5", "border": 1, "align": "center", "text_wrap": True},
    "level_medium": {"bg_color": "#FBE9A6", "border": 1, "align": "center", "text_wrap": True},
    "level_high": {"bg_color": "#F4B7B3", "border": 1, "align": "center", "text_wrap": True},
    "wrap": {"text_wrap": True, "valign": "top"},
    "total_label": {"bold": True, "top": 1},
    "total_money": {"bold": True, "top": 1, "num_format": '#,##0 "kr."'},
    "total_blank": {"top": 1},
}


class _Sheet:
    """One worksheet being written: typed cells, and the widths its columns need."""

    def __init__(self, book: _Book, name: str):
        self.ws = book.wb.add_worksheet(name)
        self.f = book.formats
        self.lang = book.report.lang
        self.widths: dict[int, int] = {}

    def widen(self, col: int, width: int, cap: int = 60) -> None:
        self.widths[col] = min(max(self.widths.get(col, 8), width + 2), cap)

    def text(self, row: int, col: int, value: Any, style: str | None = None) -> None:
        s = "" if value is None else str(value)
        if len(s) > XLSX_CELL_LIMIT:  # never cut silently
            raise InvalidValue(
                msg(
                    "err.xlsx_cell",
                    sheet=self.ws.name,
                    length=number(len(s)),
                    limit=number(XLSX_CELL_LIMIT),
                )
            )
        self.ws.write_string(
            row, col, s, self.f["quoted"] if is_formula_like(s) else self.f.get(style or "")
        )
        self.widen(col, len(s) if style not in ("title", "wrap", "sub") else 0)

    def date(self, row: int, col: int, iso: str) -> None:
        self.ws.write_datetime(row, col, datetime.fromisoformat(iso), self.f["day"])
        self.widen(col, 10)

    def number(self, row: int, col: int, value: float, style: str, width: int) -> None:
        self.ws.write_number(row, col, value, self.f[style])
        self.widen(col, width)

    def cell(self, row: int, col: int, column: Column, item: dict[str, Any]) -> None:
        """One typed cell of a table row (or a field)."""
        value, kind = item.get(column.key), column.kind
        years = _years(column, item)
        if years is not None:
            self.number(row, col, years, "years", 8)
        elif value is None or value == "":
            pass  # xlsxwriter writes nothing for a blank cell without a format
        elif kind == "money" and _is_number(value):
            self.number(row, col, value, "money", len(f"{value:,.0f}") + 4)
        elif kind == "percent" and _is_number(value):
            self.number(row, col, value / 100, "percent", 7)
        elif kind == "date" and isinstance(value, str):
            self.date(row, col, value)
        elif _is_number(value):
            if isinstance(value, float) and not value.is_integer():
                style = "decimal"
            else:
                style = "year" if _is_year(column) else "int"  # 2019, not 2.019
            self.number(row, col, value, style, len(str(value)) + 1)
        else:
            shown = fmt(value, kind, self.lang) if kind in ("list", "health", "years") else value
            self.text(row, col, shown)

    def table(self, row: int, block: Table, t: dict[str, str]) -> int:
        """A table with its header, typed rows and totals; returns the next free row."""
        for c, column in enumerate(block.columns):
            self.text(row, c, column.label, "head")
        if not block.rows:
            self.text(row + 1, 0, block.empty)
            return row + 3
        lines = _with_totals(block, t)
        for r, (item, is_total) in enumerate(lines, start=row + 1):
            for c, column in enumerate(block.columns):
                if not is_total:
                    self.cell(r, c, column, item)
                elif c == 0:
                    self.text(r, c, item.get(column.key), "total_label")
                elif _summable(column):
                    self.number(r, c, item[column.key], "total_money", 14)
                else:
                    self.ws.write_blank(r, c, None, self.f["total_blank"])
        return row + len(lines) + 3

    def chart_data(self, row: int, block: BarChart) -> int:
        """A chart's numbers as a small table (the chart itself is for HTML)."""
        self.text(row, 0, block.title, "head")
        for c, category in enumerate(block.categories, start=1):
            if category.isdigit():
                self.number(row, c, int(category), "year", 14)
            else:
                self.text(row, c, category, "head")
        for r, (series, values) in enumerate(block.series, start=row + 1):
            self.text(r, 0, series)
            for c, value in enumerate(values, start=1):
                self.number(r, c, value, "money", len(f"{value:,.0f}") + 4)
        return row + len(block.series) + 2

    def line_data(self, row: int, block: LineChart) -> int:
        """A line chart's points as a small table: one row per date, one column per series."""
        self.text(row, 0, block.title, "head")
        for c, (series, _) in enumerate(block.series, start=1):
            self.text(row, c, series, "head")
        for r, category in enumerate(block.categories, start=row + 1):
            self.date(r, 0, category)
            for c, (_, points) in enumerate(block.series, start=1):
                point = points[r - row - 1]
                if point is not None:
                    self.number(r, c, point, "decimal", 8)
        return row + len(block.categories) + 2

    def matrix(self, row: int, block: Matrix) -> int:
        """The risk matrix as cells coloured by band under its title; returns the next row."""
        self.text(row, 0, block.title, "head")
        self.text(row + 1, 0, f"{block.row_axis} ↓ / {block.column_axis} →", "head")
        for c, label in enumerate(block.columns, start=1):
            self.text(row + 1, c, label, "head")
            self.widen(c, 12)
        for r, label in enumerate(block.rows):
            self.text(row + 2 + r, 0, label, "head")
            for c, codes in enumerate(block.cells[r]):
                style = f"level_{block.levels[r][c]}"
                self.text(row + 2 + r, c + 1, ", ".join(codes), style)
        row += len(block.rows) + 2
        if block.legend:
            self.text(row, 0, "; ".join(t for _, t in block.legend))
            row += 1
        return row + 1

    def close(self) -> None:
        self.widen(0, 12)
        for c, width in self.widths.items():
            self.ws.set_column(c, c, width)


class _Book:
    def __init__(self, report: Report):
        import xlsxwriter

        self.report = report
        self.t = LABELS["en" if report.lang == "en" else "da"]
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.as_of = report.data.get("as_of")
        # a fixed timestamp keeps the bytes reproducible for the same database and as-of date
        stamp = datetime.fromisoformat(self.as_of if isinstance(self.as_of, str) else "2000-01-01")
        self.wb.set_properties({"title": report.title, "created": stamp, "author": "portefolje"})
        self.formats = {k: self.wb.add_format(v) for k, v in _FORMATS.items()}
        self.formats["years"] = self.wb.add_format({"num_format": self.t["years"]})

    def about(self, name: str, contents: list[tuple[str, str]]) -> None:
        """The first sheet: what the report is, for which portfolio, as of when, made when."""
        report, t = self.report, self.t
        sheet = _Sheet(self, name)
        sheet.text(0, 0, report.title, "title")
        facts = list(report.facts)
        labels = {label for label, _ in facts}
        if "portfolio" in report.data and t["portfolio"] not in labels:
            facts.insert(0, (t["portfolio"], report.data.get("portfolio") or t["all"]))
        row = 2
        for label, value in [(t["report"], report.title), *facts]:
            sheet.text(row, 0, label, "label")
            sheet.text(row, 1, value)
            row += 1
        if isinstance(self.as_of, str) and t["as_of"] not in labels:
            sheet.text(row, 0, t["as_of"], "label")
            sheet.date(row, 1, self.as_of)
            row += 1
        if "price_level" in report.data and t["price_level"] not in labels:
            level = report.data["price_level"]
            sheet.text(row, 0, t["price_level"], "label")
            sheet.text(row, 1, f"{level} p/l" if level else t["as_registered"])
            row += 1
        made = report.data.get("generated_at") or self.as_of
        if isinstance(made, str):
            sheet.text(row, 0, t["made"], "label")
            sheet.date(row, 1, made[:10])
            row += 1
        sheet.text(row + 1, 0, t["contents"], "sub")
        for r, (sheet_name_, title) in enumerate(contents, start=row + 2):
            sheet.text(r, 0, sheet_name_)
            sheet.text(r, 1, title)
        sheet.text(row + 3 + len(contents), 0, t["made_by"], "wrap")
        sheet.close()

    def section(self, name: str, section: Section) -> None:
        sheet = _Sheet(self, name)
        sheet.text(0, 0, section.title, "title")
        row = 2
        # the header of a section's first table stays in view, when nothing but a note (how
        # many projects are shown) stands above it
        frozen = False
        for block in section.blocks:
            if isinstance(block, Table):
                if not frozen and block.rows:
                    sheet.ws.freeze_panes(row + 1, 0)
                frozen = True
                row = sheet.table(row, block, self.t)
            elif isinstance(block, Fields):
                frozen = True
                for label, value, kind in block.items:
                    sheet.text(row, 0, label, "label")
                    sheet.cell(row, 1, Column("value", label, kind), {"value": value})
                    row += 1
                row += 1
            elif isinstance(block, Paragraph):
                sheet.text(row, 0, block.text, "wrap")
                row += 2
            elif isinstance(block, Subheading):
                frozen = True
                sheet.text(row, 0, block.text, "sub")
                row += 1
            elif isinstance(block, BarChart):
                frozen = True
                row = sheet.chart_data(row, block)
            elif isinstance(block, LineChart):
                frozen = True
                row = sheet.line_data(row, block)
            elif isinstance(block, Matrix):
                frozen = True
                row = sheet.matrix(row, block)
            elif isinstance(block, Timeline):
                continue  # the calendar tables carry the same dates
        sheet.close()

    def render(self) -> bytes:
        used: set[str] = set()
        about = sheet_name(self.t["about"], used)
        sections = [
            (sheet_name(_sheet_title(s.key, s.title, self.report.lang), used), s)
            for s in self.report.sections
        ]
        self.about(about, [(name, s.title) for name, s in sections])
        for name, section in sections:
            self.section(name, section)
        self.wb.close()
        return self.buffer.getvalue()


def render_xlsx(report: Report) -> bytes:
    return _Book(report).render()
