"""Paused and closed projects with the date and the reason of their last status change."""

from __future__ import annotations

from portefolje.reports.model import Column, Section, Table
from portefolje.reports.status import Context


def section(ctx: Context) -> Section:
    t = ctx.t
    rows = [
        {
            "code": p["code"],
            "title": p["title"],
            "status": t(p["status"]),
            "date": p["status_date"],
            "reason": p["status_reason"] if p["status_reason"] != "created" else "",
        }
        for p in ctx.projects
        if p["status"] in ("paused", "closed")
    ]
    ctx.data["paused_and_closed"] = rows
    table = Table(
        [
            Column("code", t("code")),
            Column("title", t("project")),
            Column("status", t("status")),
            Column("date", t("date"), "date"),
            Column("reason", t("reason")),
        ],
        rows,
        t("no_paused_closed"),
    )
    return Section("paused_closed", t("paused_closed_h"), [table])
