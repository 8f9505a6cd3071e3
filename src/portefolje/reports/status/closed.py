"""Paused and closed projects with the date and the reason of their last status change, and what
a paused project waits for (its dependencies in force on the day)."""

from __future__ import annotations

from portefolje.reports.model import Column, Section, Table
from portefolje.reports.status import Context, more, shortlist
from portefolje.store import dependencies


def section(ctx: Context) -> Section:
    t = ctx.t
    waits = dependencies.waits_for(ctx.conn, None, ctx.as_of)
    stopped = [p for p in ctx.projects if p["status"] in ("paused", "closed")]
    # paused ones first, then the latest closed, when there are many (only those shown become
    # rows: at L 1,460 projects for 50)
    order = sorted(range(len(stopped)), key=lambda i: stopped[i]["status_date"] or "", reverse=True)
    order.sort(key=lambda i: stopped[i]["status"] != "paused")
    shown, hidden = shortlist(stopped, order)
    rows = [
        {
            "code": p["code"],
            "title": p["title"],
            "status": t(p["status"]),
            "date": p["status_date"],
            "reason": p["status_reason"] if p["status_reason"] != "created" else "",
            "waits_for": waits.get(p["id"], []) if p["status"] == "paused" else [],
        }
        for p in shown
    ]
    ctx.data["paused_and_closed"] = rows
    ctx.data.setdefault("more", {})["paused_and_closed"] = hidden
    paused = {p["code"]: p["id"] for p in ctx.projects if p["status"] == "paused"}
    for row in ctx.csv_rows:  # the CSV's row per project says what a paused project waits for
        row["waits_for"] = waits.get(paused[row["code"]], []) if row["code"] in paused else []
    table = Table(
        [
            Column("code", t("code")),
            Column("title", t("project")),
            Column("status", t("status")),
            Column("date", t("date"), "date"),
            Column("reason", t("reason")),
            Column("waits_for", t("waits_for"), "list"),
        ],
        rows,
        t("no_paused_closed"),
    )
    return Section("paused_closed", t("paused_closed_h"), [table, *more(ctx, hidden, "project")])
