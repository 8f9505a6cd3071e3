"""`report status`: the report the secretariat brings to the directors' forum (Direktørforum).

Built once into a Report (sections for overview, segments and projects, overdue milestones, the
committee calendar for the coming eight weeks, postponed deliverables, what changed since the
previous report, and paused and closed projects), then rendered in any format. Every section
is a fixed number of queries over the whole portfolio, whatever its size.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from portefolje.domain.amounts import format_mio
from portefolje.domain.dates import format_long
from portefolje.reports import savings as economy
from portefolje.reports.i18n import labels
from portefolje.reports.model import (
    BarChart,
    Column,
    Fields,
    Paragraph,
    Report,
    Section,
    Subheading,
    Table,
    Timeline,
)
from portefolje.store import deliverables, queries
from portefolje.store.registry import resolve

CALENDAR_DAYS = 56  # the coming eight weeks


def previous_as_of(conn: sqlite3.Connection, portfolio_id: int | None, as_of: date) -> date | None:
    """The as-of date of the latest status report before this one, for the same selection."""
    row = conn.execute(
        "SELECT max(as_of) FROM report_run WHERE report = 'status' AND portfolio_id IS ? "
        "AND as_of < ?",
        (portfolio_id, as_of.isoformat()),
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def default_since(conn: sqlite3.Connection, portfolio_id: int | None, as_of: date) -> date:
    return previous_as_of(conn, portfolio_id, as_of) or as_of - timedelta(days=30)


def _portfolio_filter(alias: str, portfolio_id: int | None) -> tuple[str, list[Any]]:
    if portfolio_id is None:
        return "", []
    return f" AND {alias}.portfolio_id = ?", [portfolio_id]


def _project_facts(conn: sqlite3.Connection, pf_id: int | None, as_of: date) -> dict[str, Any]:
    """Per project: solutions by status, next milestone, overdue ones, this year's savings."""
    day = as_of.isoformat()
    seg, params = _portfolio_filter("s", pf_id)
    # the joins only serve the portfolio filter; without one they would cost a lookup per row
    project_join = "JOIN project p ON p.id = x.project_id"
    segment_join = " JOIN segment s ON s.id = p.segment_id" if pf_id else ""
    join = project_join + segment_join if pf_id else ""
    solutions: dict[int, Counter[str]] = defaultdict(Counter)
    for pid, status, n in conn.execute(
        f"SELECT x.project_id, x.status, count(*) FROM solution x {join} WHERE 1 {seg} "
        "GROUP BY x.project_id, x.status",
        params,
    ):
        solutions[pid][status] = n
    nxt: dict[int, dict[str, Any]] = {}
    for pid, title, due in conn.execute(
        f"SELECT project_id, title, due_date FROM (SELECT x.project_id, x.title, x.due_date, "
        "row_number() OVER (PARTITION BY x.project_id ORDER BY x.due_date, x.id) AS n "
        f"FROM milestone x {join} WHERE (x.done_date IS NULL OR x.done_date > ?) "
        f"AND x.due_date >= ? {seg}) WHERE n = 1",
        [day, day, *params],
    ):
        nxt[pid] = {"title": title, "due_date": due}
    overdue = [
        dict(r)
        for r in conn.execute(
            f"SELECT p.code AS project, p.title AS project_title, x.code, x.title, x.due_date, "
            f"x.project_id FROM milestone x {project_join}{segment_join} "
            "WHERE (x.done_date IS NULL OR x.done_date > ?) "
            f"AND x.due_date < ? {seg} ORDER BY x.due_date, x.id",
            [day, day, *params],
        )
    ]
    # milestones of the portfolio itself (no project)
    pseg, pparams = _portfolio_filter("x", pf_id)
    pf_overdue = [
        dict(r)
        for r in conn.execute(
            "SELECT pf.code AS project, pf.name AS project_title, x.code, x.title, x.due_date, "
            "NULL AS project_id FROM milestone x JOIN portfolio pf ON pf.id = x.portfolio_id "
            "WHERE (x.done_date IS NULL OR x.done_date > ?) AND x.due_date < ?"
            f"{pseg} ORDER BY x.due_date, x.id",
            [day, day, *pparams],
        )
    ]
    year = as_of.year
    this_year: dict[int, Counter[str]] = defaultdict(Counter)
    for pid, stage, amount in conn.execute(
        f"SELECT x.project_id, x.stage, sum(x.amount) FROM saving x {join} "
        f"WHERE (x.year = ? OR x.from_year <= ?) {seg} GROUP BY x.project_id, x.stage",
        [year, year, *params],
    ):
        this_year[pid][stage] = amount
    last_status: dict[int, dict[str, Any]] = {}
    for pid, when, note in conn.execute(
        "SELECT project_id, date, note FROM (SELECT e.project_id, e.date, e.note, "
        "row_number() OVER (PARTITION BY e.project_id ORDER BY e.date DESC, e.id DESC) AS n "
        f"FROM project_event e JOIN project p ON p.id = e.project_id "
        f"JOIN segment s ON s.id = p.segment_id WHERE e.kind = 'status' {seg}) WHERE n = 1",
        params,
    ):
        last_status[pid] = {"date": when, "reason": note}
    return {
        "solutions": solutions,
        "next": nxt,
        "overdue": overdue + pf_overdue,
        "this_year": this_year,
        "last_status": last_status,
    }


def _changes(
    conn: sqlite3.Connection, pf_id: int | None, since: date, as_of: date, t: Any, lang: str
) -> list[dict[str, Any]]:
    """What changed in [since, as_of]: by effective date where records have one, else by the
    journal's time (savings)."""
    a, b = since.isoformat(), as_of.isoformat()
    seg, params = _portfolio_filter("s", pf_id)
    join = "JOIN project p ON p.id = x.project_id JOIN segment s ON s.id = p.segment_id"
    out: list[dict[str, Any]] = []

    def add(day: str, project: str, text: str, kind: str) -> None:
        out.append({"date": day, "project": project, "change": text, "kind": kind})

    for day, code, kind, dim, old, new, note in conn.execute(
        "SELECT x.date, p.code, x.kind, x.dimension, x.old_value, x.new_value, x.note "
        f"FROM project_event x {join} WHERE x.date BETWEEN ? AND ? {seg} "
        "AND NOT (x.kind = 'status' AND x.old_value IS NULL) ORDER BY x.date, x.id",
        [a, b, *params],
    ):
        if kind == "status":
            text = t("ch_status").format(a=t(old), b=t(new))
        else:
            text = t("ch_health").format(d=t(dim), a=t(old) if old else "–", b=t(new))
        add(day, code, text + (f" – {note}" if note else ""), kind)
    for day, code, title, old, new in conn.execute(
        "SELECT e.date, p.code, x.title, e.old_status, e.new_status FROM solution_event e "
        f"JOIN solution x ON x.id = e.solution_id {join} WHERE e.date BETWEEN ? AND ? {seg} "
        "ORDER BY e.date, e.id",
        [a, b, *params],
    ):
        text = (
            t("ch_solution_new").format(t=title)
            if old is None
            else t("ch_solution").format(t=title, a=t(old), b=t(new))
        )
        add(day, code, text, "solution")
    for day, code, title in conn.execute(
        f"SELECT x.done_date, p.code, x.title FROM milestone x {join} "
        f"WHERE x.done_date BETWEEN ? AND ? {seg} ORDER BY x.done_date, x.id",
        [a, b, *params],
    ):
        add(day, code, t("ch_milestone_done").format(t=title), "milestone")
    for day, code, title, old, new in conn.execute(
        "SELECT m.moved_on, p.code, x.title, m.old_due, m.new_due FROM milestone_move m "
        f"JOIN milestone x ON x.id = m.milestone_id {join} "
        f"WHERE m.moved_on BETWEEN ? AND ? {seg} ORDER BY m.moved_on, m.id",
        [a, b, *params],
    ):
        add(
            day,
            code,
            t("ch_milestone_moved").format(
                t=title, a=format_long(old, lang), b=format_long(new, lang)
            ),
            "milestone",
        )
    portfolio_ref = None if pf_id is None else str(pf_id)
    for row in deliverables.deliverables(conn, portfolio=portfolio_ref, changed=(a, b)):
        if row["delivered_date"] and a <= row["delivered_date"] <= b:
            add(
                row["delivered_date"],
                ", ".join(row["projects"]) or (row["portfolio"] or ""),
                t("ch_delivered").format(c=row["committee"], t=row["title"]),
                "deliverable",
            )
        for move in row["postponements"]:
            if a <= move["postponed_on"] <= b:
                add(
                    move["postponed_on"],
                    ", ".join(row["projects"]) or (row["portfolio"] or ""),
                    t("ch_postponed").format(
                        t=row["title"],
                        a=format_long(move["from"], lang),
                        b=format_long(move["to"], lang),
                    ),
                    "deliverable",
                )
    saving_ids = None
    if pf_id is not None:
        saving_ids = {
            r[0] for r in conn.execute(f"SELECT x.id FROM saving x {join} WHERE 1 {seg}", params)
        }
    for at, entity_id, code, action, before, after in conn.execute(
        "SELECT at, entity_id, code, action, before, after FROM journal "
        "WHERE entity = 'saving' AND at >= ? AND at < ? ORDER BY id",
        [a, (as_of + timedelta(days=1)).isoformat()],
    ):
        if saving_ids is not None and entity_id not in saving_ids and action != "remove":
            continue
        record = json.loads(after or before)
        project = resolve(conn, "project", record["project_id"])["code"]
        what = f"{code} {format_mio(record['amount'], lang)} ({t('stage_' + record['stage'])})"
        key = {"add": "ch_saving_add", "remove": "ch_saving_remove"}.get(action, "ch_saving_edit")
        add(at[:10], project, t(key).format(t=what), "saving")
    out.sort(key=lambda c: (c["date"], c["project"], c["change"]))
    return out


def build(
    conn: sqlite3.Connection, *, portfolio: str | None, as_of: date, since: date | None, lang: str
) -> Report:
    t = labels(lang)
    pf = resolve(conn, "portfolio", portfolio) if portfolio else None
    pf_id = pf["id"] if pf else None
    since = since or default_since(conn, pf_id, as_of)
    projects = queries.projects(conn, portfolio=portfolio)
    segments = {s["code"]: s for s in queries.segments(conn, portfolio=portfolio)}
    facts = _project_facts(conn, pf_id, as_of)

    # -- overview ---------------------------------------------------------------------------------
    by_status = Counter(p["status"] for p in projects)
    status_rows = [
        {"status": t(s), "count": by_status.get(s, 0)} for s in ("active", "paused", "closed")
    ]
    years = list(range(as_of.year, as_of.year + 4))
    money = economy.year_totals(conn, portfolio=portfolio, years=years)
    total = {
        k: sum((r[k] or 0) for r in money)
        for k in ("target", "estimated", "documented", "budgeted")
    }
    has_target = any(r["target"] is not None for r in money)
    secured = total["documented"] + total["budgeted"]
    gap = total["target"] - secured
    active = [p for p in projects if p["status"] == "active"]
    colors = Counter((p["health"].get("overall") or {}).get("color") for p in active)
    postponed = deliverables.deliverables(conn, portfolio=portfolio, status="postponed")
    postponed = [d for d in postponed if d["meeting_date"] >= since.isoformat()]
    coverage = secured / total["target"] if has_target and total["target"] else None
    coverage_est = (
        (secured + total["estimated"]) / total["target"] if coverage is not None else None
    )
    if colors["red"] or (coverage_est is not None and coverage_est < 0.5):
        verdict = "red"
    elif (
        colors["yellow"] or facts["overdue"] or postponed or (coverage is not None and coverage < 1)
    ):
        verdict = "yellow"
    else:
        verdict = "green"
    pct = lambda x: f"{x * 100:.0f} %"  # noqa: E731
    parts = ", ".join(
        f"{by_status[s]} {t(s)}" for s in ("active", "paused", "closed") if by_status[s]
    )
    sentences = [
        t("assess_projects").format(n=len(projects), parts=parts or "0"),
        t("assess_health").format(r=colors["red"], y=colors["yellow"]),
    ]
    if coverage is not None and coverage_est is not None:
        sentences.append(
            t("assess_money").format(
                p=pct(coverage),
                q=pct(coverage_est),
                a=years[0],
                b=years[-1],
                gap=format_mio(gap, lang),
            )
        )
    else:
        sentences.append(t("assess_no_target"))
    sentences.append(t("assess_deadlines").format(m=len(facts["overdue"]), d=len(postponed)))
    overview = Section(
        "overview",
        t("overview_h"),
        [
            Fields([(t("assessment"), verdict, "health")]),
            Paragraph(" ".join(sentences)),
            Table(
                [Column("status", t("by_status")), Column("count", t("count"), "number")],
                status_rows,
            ),
            Table(
                [
                    Column("year", t("year")),
                    Column("target", t("target_amount"), "money"),
                    Column("estimated", t("estimated"), "money"),
                    Column("documented", t("documented"), "money"),
                    Column("budgeted", t("budgeted"), "money"),
                    Column("gap", t("gap"), "money"),
                ],
                money,
            ),
            BarChart(
                t("chart_savings"),
                [str(y) for y in years],
                [
                    (t("target_amount"), [r["target"] or 0 for r in money]),
                    (t("estimated"), [r["estimated"] for r in money]),
                    (t("documented"), [r["documented"] + r["budgeted"] for r in money]),
                ],
            ),
            Paragraph(t("assess_rule")),
        ],
    )

    # -- segments and projects --------------------------------------------------------------------
    overdue_count = Counter(m["project_id"] for m in facts["overdue"])
    rows = []
    for p in projects:
        health = p["health"].get("overall") or {}
        sols = facts["solutions"].get(p["id"], Counter())
        nxt = facts["next"].get(p["id"])
        money_year = facts["this_year"].get(p["id"], Counter())
        rows.append(
            {
                "segment": segments[p["segment"]]["name"],
                "segment_code": p["segment"],
                "code": p["code"],
                "title": p["title"],
                "status": t(p["status"]),
                "status_code": p["status"],
                "status_phase": " · ".join(x for x in (t(p["status"]), p["phase"] or "") if x),
                "phase": p["phase"],
                "health": health.get("color"),
                "health_comment": health.get("comment"),
                "health_text": " – ".join(
                    x
                    for x in (t(health["color"]) if health else "", health.get("comment") or "")
                    if x
                ),
                "solutions": ", ".join(f"{n} {t(s)}" for s, n in sorted(sols.items())),
                "solutions_by_status": dict(sorted(sols.items())),
                "next_milestone": f"{format_long(nxt['due_date'], lang)}: {nxt['title']}"
                if nxt
                else "",
                "next_milestone_title": nxt["title"] if nxt else None,
                "next_milestone_due": nxt["due_date"] if nxt else None,
                "overdue": overdue_count[p["id"]],
                "savings_estimated": money_year["estimated"],
                "savings_documented": money_year["documented"] + money_year["budgeted"],
                "savings_year": _savings_text(money_year, lang),
            }
        )
    by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_segment[r["segment_code"]].append(r)
    project_blocks: list[Subheading | Table] = []
    for code, segment in segments.items():
        items = by_segment.get(code, [])
        if not items:
            continue
        project_blocks.append(Subheading(f"{segment['name']} ({code})"))
        project_blocks.append(
            Table(
                [
                    Column("code", t("code")),
                    Column("title", t("project")),
                    Column("status_phase", f"{t('status')} · {t('phase').lower()}"),
                    Column("health", t("health_comment"), "health"),
                    Column("health_comment", t("comment")),
                    Column("solutions", t("solutions_n")),
                    Column("next_milestone", t("next_milestone")),
                    Column("savings_year", t("savings_year").format(y=as_of.year)),
                ],
                items,
            )
        )
    overdue_rows = [
        {**m, "days": (as_of - date.fromisoformat(m["due_date"])).days} for m in facts["overdue"]
    ]
    overdue_table = Table(
        [
            Column("project", t("project")),
            Column("title", t("milestone")),
            Column("due_date", t("due"), "date"),
            Column("days", t("days_over"), "number"),
        ],
        overdue_rows,
        t("no_overdue"),
    )

    # -- committee calendar ----------------------------------------------------------------------
    horizon = as_of + timedelta(days=CALENDAR_DAYS)
    coming = deliverables.deliverables(
        conn, portfolio=portfolio, date_from=as_of.isoformat(), date_to=horizon.isoformat()
    )
    from portefolje.reports.deliverables import chain

    cal_rows = [{**d, "chain": chain(d, lang), "status_label": t(d["status"])} for d in coming]
    calendar = Table(
        [
            Column("meeting_date", t("meeting"), "date"),
            Column("committee", t("committee")),
            Column("title", t("title")),
            Column("kind", t("kind")),
            Column("chain", t("chain")),
            Column("status_label", t("status")),
        ],
        cal_rows,
        t("no_meetings"),
    )
    post_rows = [
        {**d, "reason": d["postponements"][-1]["reason"] if d["postponements"] else ""}
        for d in postponed
    ]
    postponed_table = Table(
        [
            Column("title", t("title")),
            Column("committee", t("committee")),
            Column("original_meeting_date", t("original_date"), "date"),
            Column("meeting_date", t("meeting"), "date"),
            Column("reason", t("postponed_reason")),
        ],
        post_rows,
        t("no_postponed"),
    )
    upcoming_ms = [
        dict(r)
        for r in conn.execute(
            "SELECT x.title, x.due_date, x.done_date FROM milestone x "
            "LEFT JOIN project p ON p.id = x.project_id LEFT JOIN segment s ON s.id = p.segment_id "
            "WHERE x.due_date BETWEEN ? AND ? "
            "AND (? IS NULL OR coalesce(s.portfolio_id, x.portfolio_id) = ?) "
            "ORDER BY x.due_date, x.id",
            [(as_of - timedelta(days=30)).isoformat(), horizon.isoformat(), pf_id, pf_id],
        )
    ]
    events = [
        {
            "date": m["due_date"],
            "label": m["title"],
            "kind": "milestone",
            "state": "done"
            if m["done_date"] and m["done_date"] <= as_of.isoformat()
            else ("overdue" if m["due_date"] < as_of.isoformat() else "open"),
        }
        for m in upcoming_ms
    ]
    events += [
        {
            "date": d["meeting_date"],
            "label": f"{d['committee']}: {d['title']}",
            "kind": "meeting",
            "state": d["status"],
        }
        for d in coming
    ]
    events.sort(key=lambda e: (e["date"], e["label"]))
    timeline = Timeline(
        t("timeline"), (as_of - timedelta(days=30)).isoformat(), horizon.isoformat(), events
    )

    # -- changes and paused/closed ---------------------------------------------------------------
    changes = _changes(conn, pf_id, since, as_of, t, lang)
    change_table = Table(
        [
            Column("date", t("date"), "date"),
            Column("project", t("project")),
            Column("change", t("change")),
        ],
        changes,
        t("no_changes"),
    )
    pc_rows = [
        {
            "code": p["code"],
            "title": p["title"],
            "status": t(p["status"]),
            "date": facts["last_status"].get(p["id"], {}).get("date") or p["status_date"],
            "reason": facts["last_status"].get(p["id"], {}).get("reason") or "",
        }
        for p in projects
        if p["status"] in ("paused", "closed")
    ]
    pc_table = Table(
        [
            Column("code", t("code")),
            Column("title", t("project")),
            Column("status", t("status")),
            Column("date", t("date"), "date"),
            Column("reason", t("reason")),
        ],
        pc_rows,
        t("no_paused_closed"),
    )

    sections = [
        overview,
        Section(
            "projects",
            t("projects_h"),
            [*project_blocks, Subheading(t("overdue_h")), overdue_table],
        ),
        Section(
            "calendar",
            t("calendar_h"),
            [calendar, timeline, Subheading(t("postponed_h")), postponed_table],
        ),
        Section("changes", t("changes_h").format(d=format_long(since, lang)), [change_table]),
        Section("paused_closed", t("paused_closed_h"), [pc_table]),
    ]
    title_facts = [
        (t("portfolio"), pf["name"] if pf else t("all_portfolios")),
        (t("as_of"), format_long(as_of, lang)),
        (t("since"), format_long(since, lang)),
    ]
    data = {
        "report": "status",
        "portfolio": pf["code"] if pf else None,
        "as_of": as_of.isoformat(),
        "since": since.isoformat(),
        "lang": lang,
        "overview": {
            "assessment": verdict,
            "assessment_text": " ".join(sentences),
            "projects_by_status": {s: by_status.get(s, 0) for s in ("active", "paused", "closed")},
            "budget_period": {"from_year": years[0], "to_year": years[-1]},
            "savings": {
                **total,
                "gap": gap if has_target else None,
                "gap_with_estimated": gap - total["estimated"] if has_target else None,
                "per_year": money,
            },
        },
        "projects": [
            {
                k: r[k]
                for k in (
                    "segment_code",
                    "segment",
                    "code",
                    "title",
                    "status_code",
                    "phase",
                    "health",
                    "health_comment",
                    "solutions_by_status",
                    "next_milestone_title",
                    "next_milestone_due",
                    "overdue",
                    "savings_estimated",
                    "savings_documented",
                )
            }
            for r in rows
        ],
        "overdue_milestones": [
            {k: m[k] for k in ("project", "code", "title", "due_date", "days")}
            for m in overdue_rows
        ],
        "calendar": [
            {
                k: d[k]
                for k in (
                    "code",
                    "committee",
                    "meeting_date",
                    "title",
                    "kind",
                    "status",
                    "prior",
                    "projects",
                )
            }
            for d in coming
        ],
        "postponed": [
            {
                k: d[k]
                for k in (
                    "code",
                    "committee",
                    "title",
                    "meeting_date",
                    "original_meeting_date",
                    "reason",
                )
            }
            for d in post_rows
        ],
        "changes": changes,
        "paused_and_closed": pc_rows,
    }
    csv_columns = [
        "segment_code",
        "segment",
        "code",
        "title",
        "status_code",
        "phase",
        "health",
        "health_comment",
        "solutions",
        "next_milestone_title",
        "next_milestone_due",
        "overdue",
        "savings_estimated",
        "savings_documented",
    ]
    return Report(
        "status",
        t("status_title"),
        lang,
        title_facts,
        sections,
        data,
        Table([Column(c, c) for c in csv_columns], rows),
    )


def _savings_text(money: Counter[str], lang: str) -> str:
    secured = money["documented"] + money["budgeted"]
    if not money["estimated"] and not secured:
        return "–"
    return f"{format_mio(money['estimated'], lang)} / {format_mio(secured, lang)}"


def remember(
    conn: sqlite3.Connection, w_factory: Any, portfolio_id: int | None, as_of: date
) -> bool:
    """Record this report's as-of date (once per selection and date). True when it was new."""
    exists = conn.execute(
        "SELECT 1 FROM report_run WHERE report = 'status' AND portfolio_id IS ? AND as_of = ?",
        (portfolio_id, as_of.isoformat()),
    ).fetchone()
    if exists:
        return False
    from portefolje.store.register import add

    with w_factory() as w:
        add(
            w,
            "report_run",
            {"report": "status", "portfolio_id": portfolio_id, "as_of": as_of.isoformat()},
        )
    return True
