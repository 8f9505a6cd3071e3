"""`report status`: the report the secretariat brings to the directors' forum (Direktørforum).

Everything in it is the portfolio as it stood on the as-of day, read from history: later events
are invisible. The report is built once into a Report by one small builder per section
(overview, trend, segments and projects, effect indicators, risks, decisions and actions, the
pipeline of proposals, committee calendar, changes since, paused and closed projects), then
rendered in any format. Each section runs a fixed number of
store reads, whatever the portfolio's size.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from portefolje.domain.dates import format_long
from portefolje.i18n import Labels, labels
from portefolje.reports.model import Column, Paragraph, Report, Section, Table
from portefolje.store import published, queries
from portefolje.store.registry import resolve

if TYPE_CHECKING:
    from portefolje.store.deliverables import Standing
    from portefolje.store.milestones import OpenOn

DEFAULT_WINDOW = 30  # days of changes when no status report has been published before


@dataclass
class Context:
    """What every section reads: the selection, the day, and the projects as they stood."""

    conn: sqlite3.Connection
    t: Labels
    lang: str
    portfolio: dict[str, Any] | None
    as_of: date
    since: date
    price_level: int | None
    projects: list[dict[str, Any]] = field(default_factory=list)
    segments: dict[str, dict[str, Any]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    csv_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def portfolio_id(self) -> int | None:
        return self.portfolio["id"] if self.portfolio else None

    @property
    def list_limit(self) -> int:
        """How many rows a long list shows (LIST_LIMIT, read when asked)."""
        return LIST_LIMIT

    @cached_property
    def day(self) -> str:
        # read once per row of several sections: 60,000 isoformat calls at L
        return self.as_of.isoformat()

    def long(self, value: date | str | None) -> str:
        return format_long(value, self.lang)

    @cached_property
    def years(self) -> list[int]:
        """The budget period: the as-of year and three planning years."""
        return list(range(self.as_of.year, self.as_of.year + 4))

    @cached_property
    def scope(self) -> Any:
        """Where the money is summed: this selection, the day, one price level."""
        from portefolje.reports import figures

        return figures.scope(self.conn, self.portfolio_id, self.years, self.day, self.price_level)

    @cached_property
    def open_milestones(self) -> OpenOn:
        """Milestones neither met nor cancelled on the day and due before it, summarised
        (store/milestones.py): how many per project and in all; the longest overdue."""
        from portefolje.store import milestones

        return milestones.open_on(self.conn, self.portfolio_id, self.as_of, self.list_limit)

    @cached_property
    def overdue(self) -> tuple[list[dict[str, Any]], int]:
        """The longest overdue open milestones (at most LIST_LIMIT) and how many in all."""
        return self.open_milestones.overdue, self.open_milestones.overdue_total

    @cached_property
    def horizon(self) -> date:
        """The end of the committee calendar: the coming eight weeks."""
        return self.as_of + timedelta(days=CALENDAR_DAYS)

    @cached_property
    def standing(self) -> Standing:
        """The deliverables on the day (store/deliverables.py): the postponed ones and the
        missed meetings (the first LIST_LIMIT of each, and how many), and the calendar's."""
        from portefolje.store import deliverables

        return deliverables.standing_on(
            self.conn, self.portfolio_id, self.as_of, self.list_limit, self.horizon.isoformat()
        )

    @property
    def postponed(self) -> tuple[list[dict[str, Any]], int]:
        """Postponed and not yet delivered: listed until they are."""
        return self.standing.postponed, self.standing.postponed_total

    @property
    def missed(self) -> tuple[list[dict[str, Any]], int]:
        """Meetings that passed without a registered delivery."""
        return self.standing.missed, self.standing.missed_total


# long lists (overdue milestones, postponed deliverables, missed meetings, indicators, open
# actions, paused and closed projects) show the first ones and count the rest; a selection with
# more projects than this lists those that need attention
LIST_LIMIT = 50
PROJECT_LIMIT = 200
CALENDAR_DAYS = 56  # the committee calendar: the coming eight weeks


def shortlist(rows: list[Any], priority: list[int]) -> tuple[list[Any], int]:
    """All `rows` when there are at most LIST_LIMIT; else the first LIST_LIMIT of them in
    `priority` (indices, most in need of attention first), shown in their own order. Returns
    (the rows shown, how many are not)."""
    if len(rows) <= LIST_LIMIT:
        return rows, 0
    keep = set(priority[:LIST_LIMIT])
    return [r for i, r in enumerate(rows) if i in keep], len(rows) - LIST_LIMIT


def more(ctx: Context, n: int, noun: str) -> list[Paragraph]:
    """'… og 1.234 flere udsatte leverancer' under a list that shows only the first ones."""
    return [Paragraph(ctx.t("and_more").format(n=ctx.t.count(n, noun)))] if n > 0 else []


def default_since(conn: sqlite3.Connection, portfolio_id: int | None, as_of: date) -> date:
    """The as-of date of the last published status report for the selection, else 30 days."""
    previous = published.last_published_as_of(conn, "status", portfolio_id, as_of)
    return previous or as_of - timedelta(days=DEFAULT_WINDOW)


def build(
    conn: sqlite3.Connection,
    *,
    portfolio: str | None,
    as_of: date,
    since: date | None,
    lang: str,
    price_level: int | None = None,
) -> Report:
    from portefolje.reports.status import (
        calendar,
        changes,
        closed,
        decisions,
        overview,
        pipeline,
        projects,
        risks,
        trend,
    )

    pf = resolve(conn, "portfolio", portfolio) if portfolio else None
    pf_id = pf["id"] if pf else None
    ctx = Context(
        conn,
        labels(lang),
        lang,
        pf,
        as_of,
        since or default_since(conn, pf_id, as_of),
        price_level,
    )
    ctx.projects = queries.project_summaries(conn, pf_id, as_of)
    ctx.segments = {s["code"]: s for s in queries.segments(conn, portfolio=portfolio)}
    sections: list[Section | None] = [
        overview.section(ctx),
        trend.section(ctx),
        projects.section(ctx),
        projects.indicators_section(ctx),
        risks.section(ctx),
        decisions.section(ctx),
        pipeline.section(ctx),
        calendar.section(ctx),
        changes.section(ctx),
        closed.section(ctx),
    ]
    return _report(ctx, [s for s in sections if s is not None])


def _report(ctx: Context, sections: list[Section]) -> Report:
    t = ctx.t
    name = ctx.portfolio["name"] if ctx.portfolio else t("all_portfolios")
    facts = [
        (t("portfolio"), name),
        (t("as_of"), ctx.long(ctx.as_of)),
        (t("since"), ctx.long(ctx.since)),
        (t("price_level"), ctx.data["overview"]["price_level_text"]),
    ]
    data = {
        "report": "status",
        "portfolio": ctx.portfolio["code"] if ctx.portfolio else None,
        "as_of": ctx.day,
        "since": ctx.since.isoformat(),
        "lang": ctx.lang,
        **ctx.data,
    }
    data["overview"] = {k: v for k, v in data["overview"].items() if k != "price_level_text"}
    columns = [Column(key, t(label)) for key, label in CSV_COLUMNS]
    table = Table(columns, ctx.csv_rows)
    return Report("status", t("status_title"), ctx.lang, facts, sections, data, table)


CSV_COLUMNS = [
    ("segment_code", "segment_code"),
    ("segment", "segment"),
    ("code", "code"),
    ("title", "project"),
    ("status_code", "status"),
    ("phase", "phase"),
    ("health", "health_comment"),
    ("health_comment", "comment"),
    ("solutions", "solutions_n"),
    ("next_milestone_title", "next_milestone"),
    ("next_milestone_due", "due"),
    ("overdue", "overdue_n"),
    ("savings_estimated", "estimated"),
    ("savings_documented", "documented"),
    ("savings_budgeted", "budgeted"),
    ("risks_open", "risks_open"),
    ("risk_score_max", "risk_score_max"),
    ("waits_for", "waits_for"),
]
