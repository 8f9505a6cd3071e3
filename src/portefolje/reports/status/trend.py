"""The trend: how the headline figures moved over the status reports published before this one
(coverage of the target, gap, projects by health, overdue milestones), ending with this report."""

from __future__ import annotations

from typing import Any

from portefolje.reports.model import Column, LineChart, Section, Table
from portefolje.reports.status import Context
from portefolje.store import published


def section(ctx: Context) -> Section | None:
    t = ctx.t
    earlier = [
        m
        for m in published.models(ctx.conn, "status", ctx.portfolio_id, ctx.as_of)
        if m.get("as_of", "") < ctx.day
    ]
    if not earlier:
        ctx.data["trend"] = []
        return None
    points = [_point(m["as_of"], m.get("overview", {})) for m in earlier]
    points.append(_point(ctx.day, ctx.data["overview"]))
    ctx.data["trend"] = points
    table = Table(
        [
            Column("as_of", t("as_of"), "date"),
            Column("coverage_pct", t("coverage_pct"), "percent"),
            Column("gap", t("gap"), "money"),
            Column("green", t("green"), "number"),
            Column("yellow", t("yellow"), "number"),
            Column("red", t("red"), "number"),
            Column("overdue_milestones", t("overdue_h"), "number"),
        ],
        points,
    )
    chart = LineChart(
        t("trend_chart"),
        [p["as_of"] for p in points],
        [
            (t("coverage_pct"), [p["coverage_pct"] for p in points]),
        ],
        "%",
    )
    counts = LineChart(
        t("trend_counts"),
        [p["as_of"] for p in points],
        [
            (t("red"), [float(p["red"]) for p in points]),
            (t("yellow"), [float(p["yellow"]) for p in points]),
            (t("overdue_h"), [float(p["overdue_milestones"]) for p in points]),
        ],
    )
    return Section("trend", t("trend_h"), [table, chart, counts])


def _point(as_of: str, overview: dict[str, Any]) -> dict[str, Any]:
    """One published report's headline (reports published before schema 6's headline carry
    what they have)."""
    head = overview.get("headline") or {}
    health = head.get("health") or {}
    return {
        "as_of": as_of,
        "coverage_pct": head.get("coverage_pct"),
        "gap": head.get("gap", (overview.get("savings") or {}).get("gap")),
        "green": health.get("green", 0),
        "yellow": health.get("yellow", 0),
        "red": health.get("red", 0),
        "overdue_milestones": head.get("overdue_milestones", 0),
    }
