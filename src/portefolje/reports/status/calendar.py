"""The committee calendar for the coming eight weeks (with prior handling), the deliverables
that stand postponed until they are delivered, the meetings that passed without a registered
delivery, and a timeline of milestones and meetings around the day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from portefolje.reports.deliverables import chain
from portefolje.reports.model import (
    Block,
    Column,
    Section,
    Subheading,
    Table,
    Timeline,
)
from portefolje.reports.status import Context, more
from portefolje.store import milestones

TIMELINE_BACK = 30  # days of the timeline before the as-of day


def section(ctx: Context) -> Section:
    t = ctx.t
    horizon = ctx.horizon
    coming = ctx.standing.calendar
    calendar_rows = [
        {
            **d,
            "chain": chain(d, ctx.lang),
            "status_label": t(d["status"]),
            "kind_label": d["kind"] or "",
        }
        for d in coming
    ]
    postponed = [_postponed_row(d) for d in ctx.postponed[0]]
    missed = [{**d, "days": (ctx.as_of - _day(d["meeting_date"])).days} for d in ctx.missed[0]]
    ctx.data["calendar"] = [{k: d[k] for k in MEETING_KEYS} for d in coming]
    ctx.data["postponed"] = [{k: d[k] for k in POSTPONED_KEYS} for d in postponed]
    ctx.data["missed_meetings"] = [
        {k: d[k] for k in ("code", "committee", "title", "meeting_date", "days")} for d in missed
    ]
    ctx.data["more"]["postponed"] = ctx.postponed[1] - len(postponed)
    ctx.data["more"]["missed_meetings"] = ctx.missed[1] - len(missed)
    blocks: list[Block] = [
        Table(_calendar_columns(ctx), calendar_rows, t("no_meetings")),
        _timeline(ctx, coming, horizon.isoformat()),
        Subheading(t("postponed_h")),
        Table(_postponed_columns(ctx), postponed, t("no_postponed")),
        *more(ctx, ctx.data["more"]["postponed"], "postponed_deliverable"),
        Subheading(t("missed_h")),
        Table(_missed_columns(ctx), missed, t("no_missed")),
        *more(ctx, ctx.data["more"]["missed_meetings"], "missed_meeting"),
    ]
    return Section("calendar", t("calendar_h"), blocks)


MEETING_KEYS = ("code", "committee", "meeting_date", "title", "kind", "status", "prior", "projects")
POSTPONED_KEYS = (
    "code",
    "committee",
    "title",
    "meeting_date",
    "original_meeting_date",
    "times_postponed",
    "reason",
)


def _day(iso: str) -> Any:
    from datetime import date

    return date.fromisoformat(iso)


def _postponed_row(d: dict[str, Any]) -> dict[str, Any]:
    moves = [m for m in d["postponements"] if m["kind"] == "postponed"]
    return {
        **d,
        "times_postponed": len(moves),
        "reason": moves[-1]["reason"] if moves else "",
    }


def _calendar_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("meeting_date", t("meeting"), "date"),
        Column("committee", t("committee")),
        Column("title", t("title")),
        Column("kind_label", t("kind")),
        Column("chain", t("chain")),
        Column("status_label", t("status")),
    ]


def _postponed_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("title", t("title")),
        Column("committee", t("committee")),
        Column("original_meeting_date", t("original_date"), "date"),
        Column("meeting_date", t("meeting"), "date"),
        Column("times_postponed", t("times_postponed"), "number"),
        Column("reason", t("postponed_reason")),
    ]


def _missed_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("meeting_date", t("meeting"), "date"),
        Column("committee", t("committee")),
        Column("title", t("title")),
        Column("days", t("days_since"), "number"),
    ]


def _timeline(ctx: Context, coming: list[dict[str, Any]], end: str) -> Timeline:
    start = (ctx.as_of - timedelta(days=TIMELINE_BACK)).isoformat()
    around = milestones.around(ctx.conn, ctx.portfolio_id, ctx.as_of, start, end)
    events = [
        {
            "date": due,
            "label": title,
            "kind": "milestone",
            "state": "done"
            if state == "done"
            else ("overdue" if state == "open" and due < ctx.day else "open"),
        }
        for due, title, state in around
        if state != "cancelled"
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
    return Timeline(ctx.t("timeline"), start, end, events)
