"""The overview: projects by status, the savings picture for the budget period in one price
level, investments and net effect, and the overall assessment with the rule that made it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from portefolje.domain.amounts import format_mio
from portefolje.domain.assessment import Signals, assess, coverage
from portefolje.reports import figures
from portefolje.reports.model import (
    BarChart,
    Block,
    Column,
    Fields,
    Paragraph,
    Section,
    Table,
)
from portefolje.reports.status import Context

STATUSES = ("active", "paused", "closed")


def section(ctx: Context) -> Section:
    t = ctx.t
    years = ctx.years
    scope = ctx.scope
    rows = figures.year_rows(scope)
    total = {k: sum(r[k] or 0 for r in rows) for k in SUMMED}
    has_target = any(r["target"] is not None for r in rows)
    by_status = Counter(p["status"] for p in ctx.projects)
    active = [p for p in ctx.projects if p["status"] == "active"]
    colors = Counter(p["health"] for p in active)
    signals = Signals(
        red_projects=colors["red"],
        yellow_projects=colors["yellow"],
        overdue_milestones=ctx.overdue[1],
        postponed_deliverables=ctx.postponed[1],
        missed_meetings=ctx.missed[1],
        target=total["target"] if has_target else None,
        secured=total["secured"],
        estimated=total["estimated"],
    )
    verdict = assess(signals)
    level = figures.level_of(scope)
    text = " ".join(_sentences(ctx, by_status, colors, signals, total, years))
    ctx.data["overview"] = _data(
        ctx, verdict, text, by_status, years, rows, total, has_target, level
    )
    secured_share = coverage(signals)[0]
    ctx.data["overview"]["headline"] = {
        "coverage_pct": round(float(secured_share) * 100, 1) if secured_share is not None else None,
        "gap": ctx.data["overview"]["savings"]["gap"],
        "health": {c: colors[c] for c in ("green", "yellow", "red")},
        "overdue_milestones": ctx.overdue[1],
    }
    blocks: list[Block] = [
        Fields([(t("assessment"), verdict, "health")]),
        Paragraph(text),
        Table(
            [Column("status", t("by_status")), Column("count", t("count"), "number")],
            [{"status": t(s), "count": by_status.get(s, 0)} for s in STATUSES],
        ),
        Table(_money_columns(ctx), rows),
        _chart(ctx, years, rows),
        Paragraph(t("assess_rule")),
    ]
    return Section("overview", t("overview_h"), blocks)


SUMMED = (
    "target",
    "estimated",
    "documented",
    "budgeted",
    "coverage",
    "not_attributable",
    "secured",
    "investment",
    "applied",
    "net",
    "realised",
    "realised_estimate",
)


def _sentences(
    ctx: Context,
    by_status: Counter[str],
    colors: Counter[Any],
    signals: Signals,
    total: dict[str, int],
    years: list[int],
) -> list[str]:
    t = ctx.t
    parts = ", ".join(t.status_count(by_status[s], s) for s in STATUSES if by_status[s])
    out = [
        t("assess_projects").format(n=t.count(len(ctx.projects), "project"), parts=parts or "0"),
        t("assess_health").format(r=colors["red"], y=colors["yellow"]),
    ]
    secured, with_estimated = coverage(signals)
    if secured is not None and with_estimated is not None:
        gap = total["target"] - total["secured"]
        key = {1: "assess_money_gap", 0: "assess_money_exact", -1: "assess_money_met"}[
            (gap > 0) - (gap < 0)
        ]
        out.append(
            t(key).format(
                p=_pct(secured),
                q=_pct(with_estimated),
                a=years[0],
                b=years[-1],
                gap=format_mio(abs(gap), ctx.lang),
            )
        )
        if total["coverage"]:
            out.append(t("assess_coverage").format(c=format_mio(total["coverage"], ctx.lang)))
        if total["not_attributable"]:
            out.append(
                t("assess_not_attributable").format(
                    c=format_mio(total["not_attributable"], ctx.lang)
                )
            )
    else:
        out.append(t("assess_no_target"))
    out.append(
        t("assess_deadlines").format(
            m=t.count(signals.overdue_milestones, "overdue_milestone"),
            d=t.count(signals.postponed_deliverables, "postponed_deliverable"),
            x=t.count(signals.missed_meetings, "missed_meeting"),
        )
    )
    return out


def _pct(share: Any) -> str:
    return f"{round(float(share) * 100):d} %"


def _money_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    money = lambda key, label: Column(key, t(label), "money")  # noqa: E731
    return [
        Column("year", t("year"), "year"),
        money("target", "target_amount"),
        money("estimated", "estimated"),
        money("documented", "documented"),
        money("budgeted", "budgeted"),
        money("coverage", "coverage"),
        money("gap", "gap"),
        money("investment", "investment"),
        money("applied", "applied"),
        money("net", "net"),
    ]


def _chart(ctx: Context, years: list[int], rows: list[dict[str, Any]]) -> BarChart:
    t = ctx.t
    return BarChart(
        t("chart_savings"),
        [str(y) for y in years],
        [
            (t("target_amount"), [r["target"] or 0 for r in rows]),
            (t("estimated"), [r["estimated"] for r in rows]),
            (t("documented"), [r["documented"] for r in rows]),
            (t("budgeted"), [r["budgeted"] for r in rows]),
            (t("coverage"), [r["coverage"] for r in rows]),
        ],
    )


def _data(
    ctx: Context,
    verdict: str,
    text: str,
    by_status: Counter[str],
    years: list[int],
    rows: list[dict[str, Any]],
    total: dict[str, int],
    has_target: bool,
    level: int | None,
) -> dict[str, Any]:
    gap = total["target"] - total["secured"] if has_target else None
    rate = figures.realisation_rate(total["realised"], total["realised_estimate"])
    return {
        "assessment": verdict,
        "assessment_text": text,
        "projects_by_status": {s: by_status.get(s, 0) for s in STATUSES},
        "budget_period": {"from_year": years[0], "to_year": years[-1]},
        "price_level": level,
        "price_level_text": f"{level} p/l" if level else ctx.t("as_registered"),
        "savings": {
            **{k: total[k] for k in SUMMED if k not in ("realised_estimate",)},
            "gap": gap,
            "gap_with_estimated": gap - total["estimated"] if gap is not None else None,
            "realisation_rate": rate,
            "per_year": [{k: r[k] for k in YEAR_KEYS} for r in rows],
        },
    }


YEAR_KEYS = (
    "year",
    "target",
    "estimated",
    "documented",
    "budgeted",
    "coverage",
    "not_attributable",
    "gap",
    "gap_with_estimated",
    "investment",
    "applied",
    "net",
)
