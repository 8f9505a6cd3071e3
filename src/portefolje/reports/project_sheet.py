"""`report project CODE`: the printable project sheet with the Slagelse template's fields."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from portefolje.domain.dates import format_long
from portefolje.reports.i18n import labels
from portefolje.reports.model import Block, Column, Fields, Paragraph, Report, Section, Table
from portefolje.store import deliverables, indicators, milestones, queries, solutions
from portefolje.store.registry import resolve


def _text(value: str | None, t: Any) -> Paragraph:
    return Paragraph(value.strip() if value and value.strip() else t("not_stated"))


def build(conn: sqlite3.Connection, ref: str, *, as_of: date, lang: str) -> Report:
    t = labels(lang)
    row = resolve(conn, "project", ref)
    p = queries.projects(conn, [row["id"]])[0]
    segment = resolve(conn, "segment", p["segment"])
    portfolio = resolve(conn, "portfolio", p["portfolio"])
    code = p["code"]

    header = Fields(
        [
            (t("name"), p["title"], "text"),
            (t("owner"), p["owner"], "text"),
            (t("leader"), p["leader"], "text"),
            (t("date"), as_of.isoformat(), "date"),
            (t("case_number"), p["case_number"], "text"),
            (t("portfolio"), portfolio["name"], "text"),
            (t("segment"), segment["name"], "text"),
            (t("status"), t(p["status"]), "text"),
            (t("phase"), p["phase"], "text"),
            (t("start"), p["start_date"], "date"),
            (t("end"), p["end_date"], "date"),
            (t("departments"), p["departments"], "list"),
        ]
    )
    cases = deliverables.deliverables(
        conn,
        ids=[
            r[0]
            for r in conn.execute(
                "SELECT deliverable_id FROM deliverable_project WHERE project_id = ?", (p["id"],)
            )
        ],
    )
    case_table = Table(
        [
            Column("meeting_date", t("meeting"), "date"),
            Column("committee", t("committee")),
            Column("title", t("title")),
            Column("kind", t("kind")),
            Column("status_label", t("status")),
        ],
        [{**d, "status_label": t(d["status"])} for d in cases],
    )
    deliverable_blocks: list[Block] = [_text(p["deliverables"], t)]
    if cases:
        deliverable_blocks.append(case_table)

    ms = milestones.milestones(conn, project=str(p["id"]))
    milestone_table = Table(
        [
            Column("due_date", t("due"), "date"),
            Column("title", t("milestone")),
            Column("done_date", t("done"), "date"),
            Column("times_moved", t("moved"), "number"),
            Column("original", t("originally"), "date"),
        ],
        [{**m, "original": m["original_due_date"] if m["times_moved"] else None} for m in ms],
        t("no_milestones"),
    )

    sols = solutions.solutions(conn, project=str(p["id"]))
    solution_table = Table(
        [
            Column("code", t("code")),
            Column("title", t("title")),
            Column("kind_label", t("kind")),
            Column("status_label", t("status")),
            Column("status_date", t("date"), "date"),
            Column("trial", t("trial_period")),
            Column("trial_population", t("trial_population")),
            Column("handed_over_to", t("handed_over_to")),
        ],
        [
            {
                **s,
                "kind_label": t(s["kind"]) if s["kind"] else "",
                "status_label": t(s["status"]),
                "trial": _period(s["trial_from"], s["trial_to"], lang),
            }
            for s in sols
        ],
        t("no_solutions"),
    )
    effects = [
        Paragraph(f"{s['code']} – {t('expected_effects')}: {s['expected_effects']}")
        for s in sols
        if s["expected_effects"]
    ]
    effects += [
        Paragraph(f"{s['code']} – {t('documented_effects')}: {s['documented_effects']}")
        for s in sols
        if s["documented_effects"]
    ]

    inds = indicators.indicators(conn, project=str(p["id"]))
    indicator_table = Table(
        [
            Column("name", t("indicator")),
            Column("unit", t("unit")),
            Column("baseline", t("baseline"), "number"),
            Column("target", t("target"), "number"),
            Column("target_date", t("date"), "date"),
            Column("latest", t("latest"), "number"),
            Column("achievement_pct", t("achieved"), "percent"),
            Column("trend_label", t("trend")),
        ],
        [{**i, "trend_label": t(i["trend"]) if i["trend"] else ""} for i in inds],
        t("no_indicators"),
    )

    health_table = Table(
        [
            Column("dimension_label", t("dimension")),
            Column("health", t("health")),
            Column("comment", t("comment")),
            Column("date", t("date"), "date"),
        ],
        [
            {
                "dimension_label": t(dim),
                "health": h["color"],
                "comment": h["comment"],
                "date": h["date"],
            }
            for dim, h in p["health"].items()
        ],
        t("no_health"),
    )

    organisation = Fields(
        [
            (t("steering_group"), p["steering_group"], "text"),
            (t("owner"), p["owner"], "text"),
            (t("leader"), p["leader"], "text"),
            (t("participants"), p["participants"], "text"),
            (t("reference_group"), p["reference_group"], "text"),
        ]
    )
    sections = [
        Section("header", t("sheet"), [header]),
        Section("purpose", t("purpose"), [_text(p["purpose"], t)]),
        Section("deliverables", t("deliverables"), deliverable_blocks),
        Section("success", t("success"), [_text(p["success_criteria"], t)]),
        Section("risks", t("risks"), [_text(p["risks"], t)]),
        Section("stakeholders", t("stakeholders"), [_text(p["stakeholders"], t)]),
        Section("organisation", t("organisation_h"), [organisation]),
        Section("milestones", t("milestones"), [milestone_table]),
        Section("solutions", t("solutions"), [solution_table, *effects]),
        *economy_sections(conn, p["id"], lang),
        Section(
            "benefits",
            t("benefits"),
            [
                _text(p["benefits"], t),
                Fields([(t("prerequisites"), p["prerequisites"], "text")]),
                indicator_table,
            ],
        ),
        Section("health", t("health"), [health_table]),
    ]
    data = {
        "report": "project",
        "as_of": as_of.isoformat(),
        "project": p,
        "milestones": ms,
        "solutions": sols,
        "indicators": inds,
        "deliverables": cases,
    }
    facts = [(t("project"), code), (t("as_of"), format_long(as_of, lang))]
    return Report("project", f"{t('sheet')}: {p['title']}", lang, facts, sections, data, None)


def economy_sections(conn: sqlite3.Connection, project_id: int, lang: str) -> list[Section]:
    """Savings and investments of the project, when it has any."""
    from portefolje.reports.savings import project_economy_section

    section = project_economy_section(conn, project_id, lang)
    return [section] if section else []


def _period(start: str | None, end: str | None, lang: str) -> str:
    if not start and not end:
        return ""
    return (
        f"{format_long(start, lang) if start else '…'} – {format_long(end, lang) if end else '…'}"
    )
