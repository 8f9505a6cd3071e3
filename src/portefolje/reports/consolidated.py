"""`report consolidated`: one report over several secretariats' database files.

Each file is read as it is (read-only, never upgraded) and each of its portfolios gets the very
status report `report status --portfolio` would give (`reports.status.build`): this module only
lays those reports side by side. First the sources (path, schema version, journal anchor, last
change), so every figure can be traced to the file it came from; then the headline figures per
file and portfolio with totals; the committee calendar across all files; then each portfolio's
own sections.

Totals add money only where every portfolio is in the same price level, and add up gaps without
netting: one programme's surplus does not cover another programme's target.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from portefolje.domain.errors import DatabaseError
from portefolje.i18n import labels, msg
from portefolje.reports.model import Column, Fields, Paragraph, Report, Section, Subheading, Table

TEXT: dict[str, tuple[str, str]] = {
    "report_title": ("Konsolideret statusrapport", "Consolidated status report"),
    "n_active": ("Aktive", "Active"),
    "n_paused": ("På pause", "Paused"),
    "n_closed": ("Afsluttede", "Closed"),
    "n_green": ("Grøn", "Green"),
    "n_yellow": ("Gul", "Yellow"),
    "n_red": ("Rød", "Red"),
    "n_overdue": ("Overskredne milepæle", "Overdue milestones"),
    "sources_h": ("Kilder", "Sources"),
    "sources_note": (
        "Hvert tal i rapporten er læst fra den fil, kilden nævner, som filen stod med det viste "
        "journalanker (antal journalrækker : seneste journal-hash). Filerne er åbnet "
        "skrivebeskyttet og er ikke ændret.",
        "Every figure in the report is read from the file its source names, as the file stood "
        "at the journal anchor shown (journal rows : latest journal hash). The files were opened "
        "read-only and were not changed.",
    ),
    "source": ("Kilde", "Source"),
    "file": ("Fil", "File"),
    "schema": ("Skemaversion", "Schema version"),
    "anchor": ("Journalanker", "Journal anchor"),
    "last_change": ("Senest ændret (UTC)", "Last changed (UTC)"),
    "portfolios": ("Porteføljer", "Portfolios"),
    "files": ("Filer", "Files"),
    "headline_h": ("Overblik på tværs", "Overview across files"),
    "projects_h": ("Projekter", "Projects"),
    "money_h": ("Økonomi i budgetperioden", "Economy in the budget period"),
    "name": ("Navn", "Name"),
    "total": ("I alt", "Total"),
    "gap_rule": (
        "»Mangler« i alt lægger kun porteføljernes manglende beløb sammen: et overskud i én "
        "portefølje dækker ikke en andens sparemål.",
        "The total gap adds up only the portfolios' shortfalls: one portfolio's surplus does not "
        "cover another's target.",
    ),
    "mixed_levels": (
        "Porteføljerne står i forskellige prisniveauer, så beløbene lægges ikke sammen; "
        "angiv --price-level for at få totaler.",
        "The portfolios are in different price levels, so amounts are not added up; give "
        "--price-level for totals.",
    ),
    "price_level": ("Prisniveau", "Price level"),
    "as_registered": ("som registreret", "as registered"),
    "budget_period": ("Budgetperiode", "Budget period"),
    "calendar_h": (
        "Udvalgskalender på tværs, de kommende 8 uger",
        "Committee calendar across files, the coming 8 weeks",
    ),
    "no_meetings": ("Ingen møder i perioden.", "No meetings in the period."),
    "postponed_h": ("Udsatte leverancer", "Postponed deliverables"),
    "no_postponed": ("Ingen udsatte leverancer.", "No postponed deliverables."),
    "missed_h": (
        "Møder passeret uden registreret levering",
        "Meetings passed without a registered delivery",
    ),
    "no_missed": ("Ingen.", "None."),
    "since": ("Ændringer siden", "Changes since"),
    "no_portfolios": ("Filen har ingen porteføljer.", "The file has no portfolios."),
}


class Words:
    """This report's own labels, then the shared report labels."""

    def __init__(self, lang: str):
        self.lang = lang
        self.shared = labels(lang)

    def __call__(self, key: str) -> str:
        pair = TEXT.get(key)
        return pair[1 if self.lang == "en" else 0] if pair else self.shared(key)


@dataclass
class Source:
    """One database file as it was read: the anchor a reader traces figures back to."""

    label: str  # K1, K2 … in the order given
    path: str  # absolute
    schema_version: int
    journal_rows: int
    journal_head: str
    last_change: str | None
    committees: dict[str, str]  # code -> name
    portfolios: list[dict[str, Any]]

    @property
    def anchor(self) -> str:
        return f"{self.journal_rows}:{self.journal_head[:16]}"


@dataclass
class Part:
    """One portfolio of one file, with its own status report."""

    source: Source
    portfolio: dict[str, Any]
    report: Report

    @property
    def key(self) -> str:
        return f"{self.source.label}-{self.portfolio['code']}"


def read_source(label: str, path: str, conn: sqlite3.Connection, version: int) -> Source:
    """What the report says about a file, read inside the file's read snapshot."""
    from portefolje.store import queries
    from portefolje.store.published import journal_head
    from portefolje.store.readonly import last_change

    rows, head = journal_head(conn)
    return Source(
        label,
        path,
        version,
        rows,
        head,
        last_change(conn),
        {c["code"]: c["name"] for c in queries.committees(conn)},
        queries.portfolios(conn),
    )


def parts_of(
    source: Source,
    conn: sqlite3.Connection,
    *,
    as_of: date,
    since: date | None,
    lang: str,
    price_level: int | None,
) -> list[Part]:
    """The status report of each portfolio in the file: the same builder as `report status`."""
    from portefolje.reports import status

    return [
        Part(
            source,
            pf,
            status.build(
                conn,
                portfolio=pf["code"],
                as_of=as_of,
                since=since,
                lang=lang,
                price_level=price_level,
            ),
        )
        for pf in source.portfolios
    ]


def build(
    sources: list[Source], parts: list[Part], *, as_of: date, lang: str, price_level: int | None
) -> Report:
    from portefolje.domain.dates import format_long

    w = Words(lang)
    levels = {p.report.data["overview"]["price_level"] for p in parts}
    summable = len(levels) <= 1
    level = next(iter(levels)) if len(levels) == 1 else price_level
    sections = [
        _sources_section(w, sources),
        _headline_section(w, parts, summable),
        _calendar_section(w, parts),
    ]
    for part in parts:
        sections += _part_sections(w, part)
    for source in sources:
        if not source.portfolios:
            title = f"{source.label}: {source.path}"
            sections.append(Section(source.label, title, [Paragraph(w("no_portfolios"))]))
    facts = [
        (w("as_of"), format_long(as_of, lang)),
        (w("budget_period"), f"{as_of.year}–{as_of.year + 3}"),
        (w("files"), str(len(sources))),
        (w("price_level"), f"{level} p/l" if level else w("as_registered")),
    ]
    data = _data(sources, parts, as_of=as_of, lang=lang, summable=summable, level=level)
    return Report("consolidated", w("report_title"), lang, facts, sections, data, _csv(w, parts))


def consolidate(
    paths: list[Path], *, as_of: date, since: date | None, lang: str, price_level: int | None
) -> Report:
    """Open every file read-only, read each inside one read snapshot, and build the report.
    A file that changed while it was read (it was opened `immutable`) is refused by name."""
    from portefolje.store import readonly

    sources: list[Source] = []
    parts: list[Part] = []
    for i, path in enumerate(paths, start=1):
        f = readonly.open_readonly(path)
        try:
            readonly.read_snapshot(f)
            source = read_source(f"K{i}", str(path.resolve()), f.conn, f.version)
            parts += parts_of(
                source, f.conn, as_of=as_of, since=since, lang=lang, price_level=price_level
            )
            readonly.end_snapshot(f)
            if not f.unchanged():
                raise DatabaseError(msg("err.changed_while_read", path=path))
        finally:
            f.close()
        sources.append(source)
    return build(sources, parts, as_of=as_of, lang=lang, price_level=price_level)


# -- sources -------------------------------------------------------------------------------------


def _sources_section(w: Words, sources: list[Source]) -> Section:
    columns = [
        Column("label", w("source")),
        Column("path", w("file")),
        Column("schema_version", w("schema"), "number"),
        Column("anchor", w("anchor")),
        Column("last_change", w("last_change")),
        Column("portfolios", w("portfolios"), "list"),
    ]
    rows = [
        {
            "label": s.label,
            "path": s.path,
            "schema_version": s.schema_version,
            "anchor": s.anchor,
            "last_change": (s.last_change or "")[:19].replace("T", " "),
            "portfolios": [p["code"] for p in s.portfolios],
        }
        for s in sources
    ]
    return Section("sources", w("sources_h"), [Paragraph(w("sources_note")), Table(columns, rows)])


# -- headline figures ----------------------------------------------------------------------------

MONEY = ("target", "estimated", "documented", "budgeted", "coverage", "gap")
COUNTS = ("active", "paused", "closed", "green", "yellow", "red", "overdue_milestones")


def headline(part: Part) -> dict[str, Any]:
    """One portfolio's headline figures, taken from its status report's data."""
    overview = part.report.data["overview"]
    savings = overview["savings"]
    head = overview["headline"]
    return {
        "source": part.source.label,
        "portfolio": part.portfolio["code"],
        "name": part.portfolio["name"],
        "price_level": overview["price_level"],
        **overview["projects_by_status"],
        **head["health"],
        "target": savings["target"] if savings["gap"] is not None else None,
        **{k: savings[k] for k in ("estimated", "documented", "budgeted", "coverage", "gap")},
        "overdue_milestones": head["overdue_milestones"],
    }


def totals(rows: list[dict[str, Any]], summable: bool) -> dict[str, Any]:
    """Counts always add up; money only in one price level; gaps without netting surpluses."""
    out: dict[str, Any] = {k: sum(r[k] for r in rows) for k in COUNTS}
    for k in MONEY:
        values = [r[k] for r in rows if r[k] is not None]
        if not summable or not values:
            out[k] = None
        elif k == "gap":
            out[k] = sum(v for v in values if v > 0)
        else:
            out[k] = sum(values)
    return out


def _headline_section(w: Words, parts: list[Part], summable: bool) -> Section:
    rows = [headline(p) for p in parts]
    total = {"source": w("total"), "portfolio": "", "name": "", **totals(rows, summable)}
    ident = [Column("source", w("source")), Column("portfolio", w("portfolio"))]
    projects = (
        ident
        + [Column("name", w("name"))]
        + [
            Column(k, w(label), "number")
            for k, label in (
                ("active", "n_active"),
                ("paused", "n_paused"),
                ("closed", "n_closed"),
                ("green", "n_green"),
                ("yellow", "n_yellow"),
                ("red", "n_red"),
                ("overdue_milestones", "n_overdue"),
            )
        ]
    )
    money = ident + [Column(k, w(_MONEY_LABEL[k]), "money") for k in MONEY]
    blocks: list[Any] = [
        Subheading(w("projects_h")),
        Table(projects, [*rows, total] if rows else []),
        Subheading(w("money_h")),
        Table(money, [*rows, total] if rows else []),
        Paragraph(w("gap_rule") if summable else w("mixed_levels")),
    ]
    return Section("headline", w("headline_h"), blocks)


_MONEY_LABEL = {
    "target": "target_amount",
    "estimated": "estimated",
    "documented": "documented",
    "budgeted": "budgeted",
    "coverage": "coverage",
    "gap": "gap",
}


# -- the committee calendar across files ---------------------------------------------------------


def _unique(parts: list[Part], key: str) -> list[dict[str, Any]]:
    """Rows of one calendar list from every part, once per file (a case that belongs to two
    portfolios of the same file shows once), with the source and the committee's name."""
    seen: set[tuple[str, str]] = set()
    out = []
    for part in parts:
        for d in part.report.data[key]:
            if (part.source.label, d["code"]) in seen:
                continue
            seen.add((part.source.label, d["code"]))
            name = part.source.committees.get(d["committee"], d["committee"])
            out.append({**d, "source": part.source.label, "committee_name": name})
    return sorted(out, key=lambda d: (d["meeting_date"], d["committee_name"], d["source"]))


def _calendar_section(w: Words, parts: list[Part]) -> Section:
    from portefolje.reports.deliverables import chain

    meetings = [
        {**d, "chain": chain(d, w.lang), "status_label": w(d["status"]), "kind": d["kind"] or ""}
        for d in _unique(parts, "calendar")
    ]
    where = [Column("source", w("source")), Column("committee_name", w("committee"))]
    blocks: list[Any] = [
        Table(
            [
                Column("meeting_date", w("meeting"), "date"),
                *where,
                Column("code", w("code")),
                Column("title", w("title")),
                Column("kind", w("kind")),
                Column("status_label", w("status")),
                Column("chain", w("chain")),
            ],
            meetings,
            w("no_meetings"),
        ),
        Subheading(w("postponed_h")),
        Table(
            [
                Column("meeting_date", w("meeting"), "date"),
                *where,
                Column("code", w("code")),
                Column("title", w("title")),
                Column("original_meeting_date", w("original_date"), "date"),
                Column("reason", w("postponed_reason")),
            ],
            _unique(parts, "postponed"),
            w("no_postponed"),
        ),
        Subheading(w("missed_h")),
        Table(
            [
                Column("meeting_date", w("meeting"), "date"),
                *where,
                Column("code", w("code")),
                Column("title", w("title")),
            ],
            _unique(parts, "missed_meetings"),
            w("no_missed"),
        ),
    ]
    return Section("calendar", w("calendar_h"), blocks)


# -- each portfolio's own report -----------------------------------------------------------------


def _part_sections(w: Words, part: Part) -> list[Section]:
    """The portfolio's status report, its sections titled with portfolio and source."""
    code, label = part.portfolio["code"], part.source.label
    data = part.report.data
    heading = Section(
        part.key,
        f"{code} · {part.portfolio['name']} ({label})",
        [
            Fields(
                [
                    (w("file"), part.source.path, "text"),
                    (w("anchor"), part.source.anchor, "text"),
                    (w("as_of"), data["as_of"], "date"),
                    (w("since"), data["since"], "date"),
                ]
            )
        ],
    )
    own = [
        Section(f"{part.key}-{s.key}", f"{code} ({label}): {s.title}", s.blocks)
        for s in part.report.sections
    ]
    return [heading, *own]


# -- data and the flat table ---------------------------------------------------------------------


def _data(
    sources: list[Source],
    parts: list[Part],
    *,
    as_of: date,
    lang: str,
    summable: bool,
    level: int | None,
) -> dict[str, Any]:
    rows = [headline(p) for p in parts]
    keep = ("code", "committee", "meeting_date", "title", "kind", "status", "prior", "projects")
    return {
        "report": "consolidated",
        "as_of": as_of.isoformat(),
        "lang": lang,
        "price_level": level,
        "sources": [
            {
                "source": s.label,
                "path": s.path,
                "schema_version": s.schema_version,
                "journal_rows": s.journal_rows,
                "journal_head": s.journal_head,
                "last_change": s.last_change,
                "portfolios": [p["code"] for p in s.portfolios],
            }
            for s in sources
        ],
        "headline": rows,
        "totals": totals(rows, summable),
        "calendar": [
            {"source": d["source"], **{k: d[k] for k in keep}} for d in _unique(parts, "calendar")
        ],
        "portfolios": [
            {"source": p.source.label, "portfolio": p.portfolio["code"], "report": p.report.data}
            for p in parts
        ],
    }


def _csv(w: Words, parts: list[Part]) -> Table:
    """One row per project across all files, with its source and portfolio."""
    from portefolje.reports.status import CSV_COLUMNS

    columns = [
        Column("source", w("source")),
        Column("file", w("file")),
        Column("portfolio", w("portfolio")),
        *[Column(key, w(label)) for key, label in CSV_COLUMNS],
    ]
    rows = [
        {"source": p.source.label, "file": p.source.path, "portfolio": p.portfolio["code"], **r}
        for p in parts
        for r in (p.report.rows.rows if p.report.rows else [])
    ]
    return Table(columns, rows)
