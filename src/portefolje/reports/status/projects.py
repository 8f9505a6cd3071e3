"""Segments and projects as they stood on the day (status and phase, health with its comment,
solutions by the step they had reached, next milestone, this year's savings), the overdue
milestones, and the effect indicators."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from portefolje.domain.amounts import format_mio
from portefolje.domain.indicators import achievement
from portefolje.reports.model import Block, Column, Paragraph, Section, Subheading, Table
from portefolje.reports.status import PROJECT_LIMIT, Context, more, shortlist
from portefolje.store import economics, indicators, milestones, solutions


def section(ctx: Context) -> Section:
    t = ctx.t
    facts = _facts(ctx)
    shown = [_row(ctx, p, f) for p, f in _details(ctx, _attention(facts))]
    # the spreadsheet row reads in the report's language: "aktiv", "gul"
    ctx.csv_rows = [
        {
            **r,
            "status_code": t(r["status_code"]),
            "health": t(r["health"]) if r["health"] else None,
        }
        for r in shown
    ]
    ctx.data["projects"] = [{k: r[k] for k in PROJECT_KEYS} for r in shown]
    ctx.data["more"] = {"projects": len(facts) - len(shown)}
    by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in shown:
        by_segment[r["segment_code"]].append(r)
    blocks: list[Block] = []
    if len(shown) < len(facts):
        blocks.append(
            Paragraph(t("projects_shown").format(n=len(shown), of=t.count(len(facts), "project")))
        )
    for code, segment in ctx.segments.items():
        if by_segment.get(code):
            blocks.append(Subheading(f"{segment['name']} ({code})"))
            blocks.append(Table(_columns(ctx), by_segment[code]))
    overdue, total = ctx.overdue
    overdue_rows = [
        {**m, "project": m["project"] or m["portfolio"], "days": _days(ctx.as_of, m["due_date"])}
        for m in overdue
    ]
    ctx.data["overdue_milestones"] = [
        {k: m[k] for k in ("project", "code", "title", "due_date", "original_due_date", "days")}
        for m in overdue_rows
    ]
    ctx.data["more"]["overdue_milestones"] = total - len(overdue_rows)
    blocks += [
        Subheading(t("overdue_h")),
        Table(_overdue_columns(ctx), overdue_rows, t("no_overdue")),
    ]
    if total > len(overdue_rows):
        blocks.append(
            Paragraph(
                t("and_more").format(n=t.count(total - len(overdue_rows), "overdue_milestone"))
            )
        )
    return Section("projects", t("projects_h"), blocks)


def _attention(
    facts: list[tuple[dict[str, Any], dict[str, Any]]],
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """All projects when there are few; else the PROJECT_LIMIT that need attention most: red
    first, then yellow, then the most overdue milestones, then paused ones (a page a director
    reads, not a register), in their own order."""
    if len(facts) <= PROJECT_LIMIT:
        return facts
    rank = {"red": 0, "yellow": 1}

    def severity(item: tuple[dict[str, Any], dict[str, Any]]) -> tuple[Any, ...]:
        p, f = item
        color = p["health"] or ""
        return (rank.get(color, 2), -f["overdue"], p["status"] != "paused", p["id"])

    keep = {p["id"] for p, _ in sorted(facts, key=severity)[:PROJECT_LIMIT]}
    return [(p, f) for p, f in facts if p["id"] in keep]


PROJECT_KEYS = (
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
    "savings_budgeted",
)


def _facts(ctx: Context) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Per project what chooses the projects shown: the number of overdue milestones (one
    statement for the whole selection, shared with the overview)."""
    overdue = ctx.open_milestones.overdue_by_project
    return [(p, {"overdue": overdue.get(p["id"], 0)}) for p in ctx.projects]


def _details(
    ctx: Context, chosen: list[tuple[dict[str, Any], dict[str, Any]]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The facts of the projects shown: solutions by step, next milestone, this year's savings.
    Read only for those (at L, 200 of 5,000 projects, one statement each), or for the whole
    selection when every project is shown."""
    ids = [p["id"] for p, _ in chosen] if len(chosen) < len(ctx.projects) else None
    steps = solutions.counts_by_project(ctx.conn, ctx.portfolio_id, ctx.as_of, ids)
    upcoming = milestones.next_open(ctx.conn, ctx.portfolio_id, ctx.as_of, ids)
    money: dict[int, dict[str, int]] = defaultdict(dict)
    kr = ctx.scope.kr
    for pid, stage, level, estimate, attributed, ident in economics.project_year_totals(
        ctx.conn, ctx.portfolio_id, ctx.day, ctx.as_of.year, ids
    ):
        amount = kr(int(estimate if stage == "estimated" else attributed), level, "saving", ident)
        sums = money[pid]
        sums[stage] = sums.get(stage, 0) + amount
    none: dict[str, int] = {}
    return [
        (
            p,
            {
                **f,
                "steps": steps.get(p["id"], none),
                "next": upcoming.get(p["id"]),
                "money": money.get(p["id"], none),
            },
        )
        for p, f in chosen
    ]


def _row(ctx: Context, p: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    t = ctx.t
    steps: Counter[str] = Counter(facts["steps"])
    nxt = facts["next"]
    money: Counter[str] = Counter(facts["money"])
    return {
        "segment": ctx.segments[p["segment"]]["name"],
        "segment_code": p["segment"],
        "code": p["code"],
        "title": p["title"],
        "status_code": p["status"],
        "status_phase": " · ".join(x for x in (t(p["status"]), p["phase"] or "") if x),
        "phase": p["phase"],
        "health": p["health"],
        "health_comment": p["health_comment"],
        "solutions": ", ".join(f"{n} {t(s)}" for s, n in sorted(steps.items())),
        "solutions_by_status": dict(sorted(steps.items())),
        "next_milestone": f"{ctx.long(nxt['due_date'])}: {nxt['title']}" if nxt else "",
        "next_milestone_title": nxt["title"] if nxt else None,
        "next_milestone_due": nxt["due_date"] if nxt else None,
        "overdue": facts["overdue"],
        "savings_estimated": money["estimated"],
        "savings_documented": money["documented"],
        "savings_budgeted": money["budgeted"],
        "savings_year": _savings_text(money, ctx.lang),
    }


def _columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("code", t("code")),
        Column("title", t("project")),
        Column("status_phase", f"{t('status')} · {t('phase').lower()}"),
        Column("health", t("health_comment"), "health"),
        Column("health_comment", t("comment")),
        Column("solutions", t("solutions_n")),
        Column("next_milestone", t("next_milestone")),
        Column("savings_year", t("savings_year").format(y=ctx.as_of.year)),
    ]


def _overdue_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("project", t("project")),
        Column("title", t("milestone")),
        Column("due_date", t("due"), "date"),
        Column("original_due_date", t("originally"), "date"),
        Column("days", t("days_over"), "number"),
    ]


def _days(as_of: date, due: str) -> int:
    return (as_of - date.fromisoformat(due)).days


def _savings_text(money: Counter[str], lang: str) -> str:
    """'est. 0,5 mio. kr. / dok. 1,0 mio. kr.' for the columns that have any."""
    parts = [(key, money[key]) for key in ("estimated", "documented", "budgeted") if money[key]]
    if not parts:
        return "–"
    short = {"da": ("est.", "dok.", "bud."), "en": ("est.", "doc.", "budg.")}[lang]
    names = dict(zip(("estimated", "documented", "budgeted"), short, strict=True))
    return " / ".join(f"{names[k]} {format_mio(v, lang)}" for k, v in parts)


def indicators_section(ctx: Context) -> Section:
    """Effect indicators: baseline → the latest measurement by the day, against the target."""
    t = ctx.t
    ranked = indicators.latest_values(ctx.conn, ctx.portfolio_id, ctx.as_of)
    share = [achievement(baseline, target, latest) for _, baseline, target, latest in ranked]
    # the furthest from their target (unmeasured first) when there are many; only those shown
    # are read in full, with their measurements
    order = sorted(range(len(ranked)), key=lambda i: (share[i] is not None, share[i] or 0))
    kept, hidden = shortlist(ranked, order)
    found = indicators.indicators(ctx.conn, [i for i, *_ in kept], as_of=ctx.as_of)
    rows = [
        {
            **i,
            "owner": i["project"] or i["portfolio"],
            "trend_label": t(i["trend"]) if i["trend"] else "",
        }
        for i in found
    ]
    ctx.data.setdefault("more", {})["indicators"] = hidden
    ctx.data["indicators"] = [
        {
            k: i[k]
            for k in (
                "code",
                "name",
                "project",
                "portfolio",
                "unit",
                "baseline",
                "target",
                "target_date",
                "latest",
                "latest_date",
                "achievement_pct",
                "trend",
            )
        }
        for i in found
    ]
    columns = [
        Column("owner", t("project")),
        Column("name", t("indicator")),
        Column("unit", t("unit")),
        Column("baseline", t("baseline"), "number"),
        Column("latest", t("latest"), "number"),
        Column("latest_date", t("measured"), "date"),
        Column("target", t("target"), "number"),
        Column("achievement_pct", t("achieved"), "percent"),
        Column("trend_label", t("trend")),
    ]
    return Section(
        "indicators",
        t("indicators"),
        [Table(columns, rows, t("no_indicators")), *more(ctx, hidden, "indicator")],
    )
