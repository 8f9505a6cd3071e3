"""`report savings`: the economics view for the budget period, as the figures stood on the day.

Per year, per department and per budget area: target, estimated, documented, budgeted, other
coverage, what is not attributable, the two gaps and the realisation rate; per project:
investments per year and budget area, effects, net and cumulative net per year, payback time on
service effects only and on the total economy, and the business-case follow-up (realised ÷
investment). Sums are grouped in SQL and only the groups are expanded over the years.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from portefolje.domain.economics import effects_by_year, payback_years
from portefolje.i18n import Labels, labels, number
from portefolje.reports import figures
from portefolje.reports.model import BarChart, Column, Fields, Paragraph, Report, Section, Table
from portefolje.reports.status import PROJECT_LIMIT
from portefolje.store import economics as store
from portefolje.store import queries
from portefolje.store.registry import resolve

AREAS = ("service", "overforsler", "indsats", "anlaeg")


def build(
    conn: sqlite3.Connection,
    *,
    portfolio: str | None,
    from_year: int,
    years: int,
    price_level: int | None,
    horizon: int,
    lang: str,
    as_of: date,
    all_projects: bool = False,
) -> Report:
    """The report as the figures stood on `as_of`. The per-project tables list every project
    with economy up to PROJECT_LIMIT (the status report's), else the PROJECT_LIMIT with the
    most money at stake and a count of the rest; `all_projects` lists them all. The sums per
    year, department and area always count every line."""
    t = labels(lang)
    pf = resolve(conn, "portfolio", portfolio) if portfolio else None
    scope = figures.scope(
        conn,
        pf["id"] if pf else None,
        list(range(from_year, from_year + years)),
        as_of.isoformat(),
        price_level,
    )
    year_rows, dept_rows, area_rows = _breakdowns(scope, t)
    for row in year_rows:
        row["realisation_rate"] = figures.realisation_rate(
            row["realised"], row["realised_estimate"]
        )
    projects, total = _projects(scope, horizon, t, lang, None if all_projects else PROJECT_LIMIT)
    return _report(t, lang, pf, scope, horizon, year_rows, dept_rows, area_rows, projects, total)


def _breakdowns(
    scope: figures.Scope, t: Labels
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Per year (as figures.year_rows), per department and year (with its share of the target)
    and per budget area and year, from one pass over the saving groups: reading them once for
    the totals and again for the breakdowns cost a second 1,300-group query at L."""
    total_target, dept_target, covered = figures.targets(scope)
    totals: figures.Sink = {y: figures.blank() for y in scope.years}
    by_dept: figures.Sink = {}
    by_area: figures.Sink = {}
    figures.add_savings(scope, totals, by_dept, by_area)
    figures.add_coverage(scope, totals, by_dept)
    granted, applied, _ = figures.investments(scope)
    year_rows = []
    for year in scope.years:  # what figures.year_rows makes of the same sums
        sums: dict[str, Any] = {"year": year, **totals[year], "target": total_target.get(year, 0)}
        sums = figures.gaps(sums, year in covered)
        sums["investment"] = granted.get(year, 0)
        sums["applied"] = applied.get(year, 0)
        sums["net"] = sums["documented"] + sums["budgeted"] - sums["investment"]
        year_rows.append(sums)
    names = {d["id"]: d for d in queries.departments(scope.conn)}
    dept_ids = sorted(
        {d for d, _ in by_dept} | {d for d, _ in dept_target},
        key=lambda d: (d is None, names[d]["name"] if d in names else ""),
    )
    dept_rows = []
    for dept in dept_ids:
        keyed = any((dept, y) in dept_target for y in scope.years)
        for year in scope.years:
            row = {
                "department": names[dept]["code"] if dept in names else t("unallocated"),
                "year": year,
                **by_dept.get((dept, year), figures.blank()),
                "target": dept_target.get((dept, year), 0),
            }
            dept_rows.append(figures.gaps(row, keyed and year in covered))
    area_rows = [
        {"area": t(a), "area_code": a, "year": y, **by_area.get((a, y), figures.blank())}
        for a in AREAS
        for y in scope.years
        if any(by_area.get((a, yy)) for yy in scope.years)
    ]
    return year_rows, dept_rows, area_rows


def _flows(scope: figures.Scope, project_ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """Per project: granted investments per year (and per area), applied ones, and effect lines
    (service and total) with their best current figure: the estimate while estimated, the
    attributable realised amount once documented or budgeted."""
    flows: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "investments": defaultdict(int),
            "service_investments": defaultdict(int),
            "by_area": defaultdict(int),
            "applied": 0,
            "service": [],
            "total": [],
            "realised": [],
        }
    )
    for pid, _dept, area, year, status, level, amount, _fte, ident in store.investment_groups(
        scope.conn, scope.portfolio_id, scope.day, project_ids
    ):
        kr = scope.kr(int(amount), level, "investment", ident)
        if status == "granted":
            flows[pid]["investments"][year] += kr
            flows[pid]["by_area"][(area, year)] += kr
            if area == "service":
                flows[pid]["service_investments"][year] += kr
        elif status == "applied":
            flows[pid]["applied"] += kr
    if scope.price_level is None:
        _add_saving_flows(scope, flows, project_ids)
        return flows
    # converted figures keep the finer groups: each group is converted and rounded on its own
    for (
        pid,
        area,
        stage,
        year,
        from_year,
        level,
        estimate,
        _realised,
        attributed,
        ident,
    ) in store.project_saving_groups(scope.conn, scope.portfolio_id, scope.day, project_ids):
        amount = int(estimate if stage == "estimated" else attributed)
        line = (year, from_year, scope.kr(amount, level, "saving", ident))
        flows[pid]["total"].append(line)
        if area == "service":
            flows[pid]["service"].append(line)
        if stage != "estimated":
            flows[pid]["realised"].append(line)
    return flows


def _add_saving_flows(
    scope: figures.Scope, flows: dict[int, dict[str, Any]], project_ids: list[int] | None
) -> None:
    """The effect lines of figures read as registered (no conversion), two per project and start
    year (single-year and recurring), with the service area's and the realised part beside them."""
    for (
        pid,
        start,
        total,
        total_from,
        service,
        service_from,
        realised,
        realised_from,
    ) in store.project_saving_flows(scope.conn, scope.portfolio_id, scope.day, project_ids):
        flow = flows[pid]
        flow["total"] += ((start, None, total), (None, start, total_from))
        if service or service_from:
            flow["service"] += ((start, None, service), (None, start, service_from))
        if realised or realised_from:
            flow["realised"] += ((start, None, realised), (None, start, realised_from))


def realised_to_date(flows: dict[str, Any], through: int) -> int:
    """The attributable realised effect from the first year with any flow through `through`."""
    starts = [y for y, v in flows["investments"].items() if v]
    starts += [y if y is not None else f for y, f, _ in flows["total"]]
    if not starts or min(starts) > through:
        return 0
    return sum(effects_by_year(flows["realised"], min(starts), through).values())


def project_rows(
    flows: dict[str, Any], years: list[int], horizon: int
) -> tuple[list[dict[str, Any]], dict[str, float | None]]:
    """Per-year investment/effect/net/cumulative over `years`, and the three payback times:
    all investments against service effects, against the total economy, and service-area
    investments against service-area effects (the Copenhagen business-case format)."""
    starts = [y for y, v in flows["investments"].items() if v]
    starts += [y if y is not None else f for y, f, _ in flows["total"]]
    first = min(starts) if starts else years[0]
    last = first + horizon - 1
    low, high = min(first, years[0]), max(last, years[-1])
    service = effects_by_year(flows["service"], low, high)
    total = effects_by_year(flows["total"], low, high)
    invest = dict(flows["investments"])
    rows, cumulative = [], 0
    for year in years:
        inv = invest.get(year, 0)
        net = total[year] - inv
        cumulative += net
        rows.append(
            {
                "year": year,
                "investment": inv,
                "effect_service": service[year],
                "effect_total": total[year],
                "net": net,
                "cumulative_net": cumulative,
            }
        )
    paybacks = {
        "service": payback_years(invest, service, horizon, start=first),
        "total": payback_years(invest, total, horizon, start=first),
        "service_area": payback_years(
            dict(flows["service_investments"]), service, horizon, start=first
        ),
    }
    return rows, paybacks


def payback_text(value: float | None, has_investment: bool, horizon: int, t: Any, lang: str) -> str:
    if not has_investment:
        return t("no_investment")
    if value is None:
        return t("no_payback").format(n=horizon)
    number = f"{value:.1f}"
    return f"{number if lang == 'en' else number.replace('.', ',')} {t('years_unit')}"


def _projects(
    scope: figures.Scope, horizon: int, t: Labels, lang: str, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """The rows of the per-project tables, in code order, for the projects chosen by money at
    stake (all when there are at most `limit`), and how many projects have economy in all.
    Flows and paybacks are worked out for the chosen ones only."""
    chosen, total = store.projects_at_stake(
        scope.conn, scope.portfolio_id, scope.day, scope.years[0], scope.years[-1], limit
    )
    if not chosen:
        return [], 0
    flows = _flows(scope, [pid for pid, _, _ in chosen] if len(chosen) < total else None)
    info = {pid: (code, title) for pid, code, title in chosen}
    out = []
    for pid in sorted(info, key=lambda p: info[p][0]):
        rows, paybacks = project_rows(flows[pid], scope.years, horizon)
        invested = sum(flows[pid]["investments"].values())
        has_service = any(flows[pid]["service_investments"].values())
        out.append(
            {
                "code": info[pid][0],
                "title": info[pid][1],
                "years": rows,
                "investments_by_area": [
                    {"area": a, "year": y, "amount": v}
                    for (a, y), v in sorted(flows[pid]["by_area"].items())
                ],
                "applied": flows[pid]["applied"],
                "payback_service_years": paybacks["service"],
                "payback_total_years": paybacks["total"],
                "payback_service_area_years": paybacks["service_area"],
                "has_investment": bool(invested),
                "payback_service": payback_text(
                    paybacks["service"], bool(invested), horizon, t, lang
                ),
                "payback_total": payback_text(paybacks["total"], bool(invested), horizon, t, lang),
                "payback_service_area": payback_text(
                    paybacks["service_area"], has_service, horizon, t, lang
                ),
                "follow_up_pct": round(
                    realised_to_date(flows[pid], int(scope.day[:4])) / invested * 100, 1
                )
                if invested
                else None,
            }
        )
    return out, total


def _report(
    t: Labels,
    lang: str,
    pf: dict[str, Any] | None,
    scope: figures.Scope,
    horizon: int,
    year_rows: list[dict[str, Any]],
    dept_rows: list[dict[str, Any]],
    area_rows: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    total: int,
) -> Report:
    level = figures.level_of(scope)
    areas = Table(
        [
            Column("area", t("area")),
            Column("year", t("year"), "year"),
            *[Column(k, t(k), "money") for k in ("estimated", "documented", "budgeted")],
        ],
        area_rows,
        t("no_economy"),
    )
    departments = Table(
        [Column("department", t("department")), *_measures(t, False)], dept_rows, t("no_economy")
    )
    sections = [
        Section(
            "overview",
            t("overview"),
            [Table(_measures(t, True), year_rows), _chart(t, scope, year_rows)],
        ),
        Section("departments", t("per_department"), [departments]),
        Section("areas", t("per_area"), [areas]),
        Section("projects", t("per_project"), _project_blocks(t, projects, total)),
    ]
    facts = [
        (t("portfolio"), pf["name"] if pf else t("all_portfolios")),
        (t("budget_period"), f"{scope.years[0]}–{scope.years[-1]}"),
        (t("as_of"), scope.day),
        (t("price_level"), f"{level} p/l" if level else t("as_registered")),
    ]
    data = _data(pf, scope, horizon, level, year_rows, dept_rows, area_rows, projects, total)
    flat = _flat(year_rows, dept_rows, area_rows, projects, total, t)
    return Report("savings", t("savings_title"), lang, facts, sections, data, flat)


def _measures(t: Labels, with_rate: bool) -> list[Column]:
    money = lambda key, label: Column(key, t(label), "money")  # noqa: E731
    columns = [
        Column("year", t("year"), "year"),
        money("target", "target_amount"),
        money("estimated", "estimated"),
        money("documented", "documented"),
        money("budgeted", "budgeted"),
        money("coverage", "coverage"),
        money("not_attributable", "not_attributable"),
        money("gap", "gap"),
        money("gap_with_estimated", "gap_est"),
    ]
    if with_rate:
        columns.append(Column("realisation_rate", t("realisation_rate"), "percent"))
    return columns


def _chart(t: Labels, scope: figures.Scope, rows: list[dict[str, Any]]) -> BarChart:
    return BarChart(
        t("chart_savings"),
        [str(y) for y in scope.years],
        [
            (t("target_amount"), [r["target"] or 0 for r in rows]),
            (t("estimated"), [r["estimated"] for r in rows]),
            (t("documented"), [r["documented"] for r in rows]),
            (t("budgeted"), [r["budgeted"] for r in rows]),
            (t("coverage"), [r["coverage"] for r in rows]),
        ],
    )


def _project_blocks(t: Labels, projects: list[dict[str, Any]], total: int) -> list[Any]:
    """The payback table, the flows per year and the investments per area; when not every
    project is listed, a line above saying which are and one below counting the rest."""
    summary = Table(
        [
            Column("code", t("code")),
            Column("title", t("title")),
            Column("payback_service", t("payback_service")),
            Column("payback_total", t("payback_total")),
            Column("payback_service_area", t("payback_service_area")),
            Column("follow_up_pct", t("follow_up"), "percent"),
            Column("applied", t("applied"), "money"),
        ],
        projects,
        t("no_economy"),
    )
    per_year = Table(
        [
            Column("code", t("project")),
            Column("year", t("year"), "year"),
            Column("investment", t("investment"), "money"),
            Column("effect_service", t("effect_service"), "money"),
            Column("effect_total", t("effect_total"), "money"),
            Column("net", t("net"), "money"),
            Column("cumulative_net", t("cumulative"), "money"),
        ],
        [{"code": p["code"], **r} for p in projects for r in p["years"]],
        t("no_economy"),
    )
    by_area = Table(
        [
            Column("code", t("project")),
            Column("area_label", t("area")),
            Column("year", t("year"), "year"),
            Column("amount", t("investment"), "money"),
        ],
        [
            {"code": p["code"], "area_label": t(a["area"]), **a}
            for p in projects
            for a in p["investments_by_area"]
        ],
        t("no_investments"),
    )
    hidden = total - len(projects)
    if not hidden:
        return [summary, per_year, by_area]
    for table in (summary, per_year, by_area):
        table.partial = True
    return [
        Paragraph(
            t("projects_at_stake").format(
                n=number(len(projects), t.lang), of=t.count(total, "project")
            )
        ),
        summary,
        per_year,
        by_area,
        Paragraph(t("and_more").format(n=t.count(hidden, "project"))),
    ]


def _data(
    pf: dict[str, Any] | None,
    scope: figures.Scope,
    horizon: int,
    level: int | None,
    year_rows: list[dict[str, Any]],
    dept_rows: list[dict[str, Any]],
    area_rows: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    total: int,
) -> dict[str, Any]:
    keep = (
        "code",
        "title",
        "years",
        "investments_by_area",
        "applied",
        "payback_service_years",
        "payback_total_years",
        "payback_service_area_years",
        "follow_up_pct",
    )
    data = {
        "report": "savings",
        "portfolio": pf["code"] if pf else None,
        "as_of": scope.day,
        "from_year": scope.years[0],
        "years": len(scope.years),
        "price_level": level,
        "payback_horizon_years": horizon,
        "totals": year_rows,
        "departments": dept_rows,
        "areas": [
            {
                "area": r["area_code"],
                **{k: r[k] for k in ("year", "estimated", "documented", "budgeted")},
            }
            for r in area_rows
        ],
        "projects": [{k: p[k] for k in keep} for p in projects],
    }
    if total > len(projects):  # only then: a report that lists every project reads as before
        data["projects_total"] = total
        data["projects_not_shown"] = total - len(projects)
    return data


FLAT = (
    "level",
    "key",
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
    "effect_service",
    "effect_total",
    "net",
    "cumulative_net",
)


def _flat(
    year_rows: list[dict[str, Any]],
    dept_rows: list[dict[str, Any]],
    area_rows: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    total: int,
    t: Labels,
) -> Table:
    """One flat table for the CSV: a level column ('i alt', 'afdeling' … in Danish) and a key;
    when not every project is listed, a last row counts those left out ('ikke vist')."""
    rows = [{"level": t("level_total"), "key": "", **r} for r in year_rows]
    rows += [{"level": t("department").lower(), "key": r["department"], **r} for r in dept_rows]
    rows += [{"level": t("area").lower(), "key": r["area"], **r} for r in area_rows]
    rows += [
        {"level": t("project").lower(), "key": p["code"], **r} for p in projects for r in p["years"]
    ]
    if total > len(projects):
        rows.append({"level": t("not_shown"), "key": t.count(total - len(projects), "project")})
    return Table([Column(c, c) for c in FLAT], rows)


def project_economy(
    conn: sqlite3.Connection, project_id: int, as_of: date, t: Labels, lang: str
) -> Section | None:
    """The project sheet's economy: each saving and investment line with its note, the total
    granted investment, and both payback times."""
    code = resolve(conn, "project", project_id)["code"]
    saving_rows = store.savings(conn, project=code, as_of=as_of)
    investment_rows = store.investments(conn, project=code, as_of=as_of)
    if not saving_rows and not investment_rows:
        return None
    for s in saving_rows:
        s["when"] = str(s["year"]) if s["year"] else t("recurring").format(y=s["from_year"])
        s["stage_label"] = t(f"stage_{s['stage']}")
        s["area_label"] = t(s["area"])
    for i in investment_rows:
        i["status_label"] = t(f"inv_{i['status']}")
        i["area_label"] = t(i["area"])
    blocks: list[Any] = [
        Table(_saving_lines(t), saving_rows, t("no_economy")),
        Table(_investment_lines(t), investment_rows, t("no_investments")),
    ]
    flows = _flows_for(figures.Scope(conn, None, [as_of.year], as_of.isoformat()), project_id)
    if flows:
        starts = sorted({*flows["investments"], *[y or f for y, f, _ in flows["total"]]})
        _, paybacks = project_rows(flows, [starts[0]], 20)
        has_inv = any(flows["investments"].values())
        granted = sum(i["amount"] for i in investment_rows if i["status"] == "granted")
        blocks.append(
            Fields(
                [
                    (t("investments_total"), granted, "money"),
                    (
                        t("payback_service"),
                        payback_text(paybacks["service"], has_inv, 20, t, lang),
                        "text",
                    ),
                    (
                        t("payback_total"),
                        payback_text(paybacks["total"], has_inv, 20, t, lang),
                        "text",
                    ),
                ]
            )
        )
    return Section("economy", t("economy"), blocks)


def _saving_lines(t: Labels) -> list[Column]:
    return [
        Column("code", t("code")),
        Column("name", t("line")),
        Column("when", t("year")),
        Column("department", t("department")),
        Column("area_label", t("area")),
        Column("stage_label", t("stage")),
        Column("amount", t("estimate"), "money"),
        Column("realised", t("realised"), "money"),
        Column("attribution", t("attribution"), "percent"),
        Column("fte", t("fte"), "number"),
        Column("note", t("note")),
    ]


def _investment_lines(t: Labels) -> list[Column]:
    return [
        Column("code", t("code")),
        Column("name", t("line")),
        Column("year", t("year"), "year"),
        Column("department", t("department")),
        Column("area_label", t("area")),
        Column("amount", t("amount"), "money"),
        Column("status_label", t("status")),
        Column("fte", t("fte"), "number"),
        Column("funding", t("funding")),
        Column("note", t("note")),
    ]


def _flows_for(scope: figures.Scope, project_id: int) -> dict[str, Any] | None:
    return _flows(scope, [project_id]).get(project_id)
