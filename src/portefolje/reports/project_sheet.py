"""`report project CODE`: the printable project sheet with the Slagelse template's fields, as the
project stood on the as-of day (status, phase, health, milestones, solutions, cases, indicators,
economy, risks with every assessment, decisions and dependencies both ways, read from
history)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from portefolje.domain.dates import format_long
from portefolje.i18n import Labels, labels
from portefolje.reports.model import (
    Block,
    Column,
    Fields,
    Paragraph,
    Report,
    Section,
    Subheading,
    Table,
)
from portefolje.store import (
    deliverables,
    dependencies,
    indicators,
    meetings,
    milestones,
    queries,
    risks,
    solutions,
)
from portefolje.store.registry import resolve


def _text(value: str | None, t: Labels) -> Paragraph:
    return Paragraph(value.strip() if value and value.strip() else t("not_stated"))


def build(conn: sqlite3.Connection, ref: str, *, as_of: date, lang: str) -> Report:
    t = labels(lang)
    p = queries.projects(conn, [resolve(conn, "project", ref)["id"]], as_of=as_of)[0]
    ms = milestones.milestones(conn, project=str(p["id"]), as_of=as_of)
    sols = solutions.solutions(conn, project=str(p["id"]), as_of=as_of)
    inds = indicators.indicators(conn, project=str(p["id"]), as_of=as_of)
    cases = deliverables.deliverables(conn, project_id=p["id"], as_of=as_of)
    found_risks = risks.risks(conn, project=str(p["id"]), as_of=as_of)
    decided = meetings.decisions(conn, project_id=p["id"], date_to=as_of.isoformat())
    deps = dependencies.both_ways(conn, [p["id"]], as_of)[p["id"]]
    sections = [
        Section("header", t("sheet"), [_header(conn, p, as_of, t)]),
        Section("purpose", t("purpose"), [_text(p["purpose"], t)]),
        Section("deliverables", t("deliverables"), _cases(p, cases, t)),
        Section("success", t("success"), [_text(p["success_criteria"], t)]),
        Section("risks", t("risks"), [_text(p["risks"], t)]),
        Section("risk_register", t("project_risks_h"), _risks(found_risks, t, lang)),
        Section("decisions", t("project_decisions_h"), [_decisions(decided, t)]),
        Section("dependencies", t("dependencies_h"), _dependencies(deps, t)),
        Section("stakeholders", t("stakeholders"), [_text(p["stakeholders"], t)]),
        Section("organisation", t("organisation_h"), [_organisation(p, t)]),
        Section("milestones", t("milestones"), [_milestones(ms, t)]),
        Section("solutions", t("solutions"), _solutions(sols, t, lang)),
        *_economy(conn, p["id"], as_of, t, lang),
        Section("benefits", t("benefits"), _benefits(p, inds, t)),
        Section("health", t("health"), [_health(p, t)]),
    ]
    data = {
        "report": "project",
        "as_of": as_of.isoformat(),
        "project": p,
        "milestones": ms,
        "solutions": sols,
        "indicators": inds,
        "deliverables": cases,
        "risks": found_risks,
        "decisions": decided,
        **deps,
    }
    facts = [(t("project"), p["code"]), (t("as_of"), format_long(as_of, lang))]
    return Report("project", f"{t('sheet')}: {p['title']}", lang, facts, sections, data, None)


def _header(conn: sqlite3.Connection, p: dict[str, Any], as_of: date, t: Labels) -> Fields:
    segment = resolve(conn, "segment", p["segment"])
    portfolio = resolve(conn, "portfolio", p["portfolio"])
    return Fields(
        [
            (t("name"), p["title"], "text"),
            (t("owner"), p["owner"], "text"),
            (t("leader"), p["leader"], "text"),
            (t("date"), as_of.isoformat(), "date"),
            (t("case_number"), p["case_number"], "text"),
            (t("portfolio"), portfolio["name"], "text"),
            (t("segment"), segment["name"], "text"),
            (t("status"), t(p["status"]) if p["status"] else t("not_yet"), "text"),
            (t("phase"), p["phase"], "text"),
            (t("start"), p["start_date"], "date"),
            (t("end"), p["end_date"], "date"),
            (t("departments"), p["departments"], "list"),
        ]
    )


def _cases(p: dict[str, Any], cases: list[dict[str, Any]], t: Labels) -> list[Block]:
    blocks: list[Block] = [_text(p["deliverables"], t)]
    if cases:
        blocks.append(
            Table(
                [
                    Column("meeting_date", t("meeting"), "date"),
                    Column("committee", t("committee")),
                    Column("title", t("title")),
                    Column("kind", t("kind")),
                    Column("status_label", t("status")),
                ],
                [{**d, "status_label": t(d["status"])} for d in cases],
            )
        )
    return blocks


def _organisation(p: dict[str, Any], t: Labels) -> Fields:
    return Fields(
        [
            (t("steering_group"), p["steering_group"], "text"),
            (t("owner"), p["owner"], "text"),
            (t("leader"), p["leader"], "text"),
            (t("participants"), p["participants"], "text"),
            (t("reference_group"), p["reference_group"], "text"),
        ]
    )


def _milestones(ms: list[dict[str, Any]], t: Labels) -> Table:
    return Table(
        [
            Column("due_date", t("due"), "date"),
            Column("title", t("milestone")),
            Column("state_label", t("status")),
            Column("done_date", t("done"), "date"),
            Column("times_moved", t("moved"), "number"),
            Column("original", t("originally"), "date"),
        ],
        [
            {
                **m,
                "state_label": t(m["state"]),
                "original": m["original_due_date"] if m["times_moved"] else None,
            }
            for m in ms
        ],
        t("no_milestones"),
    )


def _solutions(sols: list[dict[str, Any]], t: Labels, lang: str) -> list[Block]:
    table = Table(
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
    effects: list[Block] = [
        Paragraph(f"{s['code']} – {t(label)}: {s[label]}")
        for label in ("expected_effects", "documented_effects")
        for s in sols
        if s[label]
    ]
    return [table, *effects]


def _benefits(p: dict[str, Any], inds: list[dict[str, Any]], t: Labels) -> list[Block]:
    table = Table(
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
    return [
        _text(p["benefits"], t),
        Fields([(t("prerequisites"), p["prerequisites"], "text")]),
        table,
    ]


def _health(p: dict[str, Any], t: Labels) -> Table:
    return Table(
        [
            Column("dimension_label", t("dimension")),
            Column("health", t("health"), "health"),
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


def _economy(
    conn: sqlite3.Connection, project_id: int, as_of: date, t: Labels, lang: str
) -> list[Section]:
    """Savings and investments of the project, when it has any."""
    from portefolje.reports.savings import project_economy

    section = project_economy(conn, project_id, as_of, t, lang)
    return [section] if section else []


def _period(start: str | None, end: str | None, lang: str) -> str:
    if not start and not end:
        return ""
    return (
        f"{format_long(start, lang) if start else '…'} – {format_long(end, lang) if end else '…'}"
    )


def _risks(found: list[dict[str, Any]], t: Labels, lang: str) -> list[Block]:
    """The project's risks by score, then every assessment of each (before and after a
    response)."""
    table = Table(
        [
            Column("code", t("code")),
            Column("title", t("risk")),
            Column("score_text", t("score_pc")),
            Column("state_label", t("state")),
            Column("response", t("response")),
            Column("owner", t("risk_owner")),
        ],
        [
            {
                **r,
                "score_text": f"{r['score']} ({r['probability']}×{r['consequence']})",
                "state_label": t(f"{r['state']}_risk"),
            }
            for r in found
        ],
        t("no_project_risks"),
    )
    if not found:
        return [table]
    assessed = Table(
        [
            Column("code", t("code")),
            Column("date", t("date"), "date"),
            Column("score_text", t("score_pc")),
            Column("note", t("note")),
        ],
        [
            {
                **a,
                "code": r["code"],
                "score_text": f"{a['score']} ({a['probability']}×{a['consequence']})",
            }
            for r in found
            for a in r["assessments"]
        ],
    )
    return [table, Subheading(t("assessments")), assessed]


def _decisions(decided: list[dict[str, Any]], t: Labels) -> Table:
    return Table(
        [
            Column("date", t("date"), "date"),
            Column("body_name", t("body")),
            Column("code", t("code")),
            Column("text", t("decision")),
        ],
        decided,
        t("no_project_decisions"),
    )


def _dependencies(deps: dict[str, list[dict[str, Any]]], t: Labels) -> list[Block]:
    columns = [
        Column("what", t("dependency_on")),
        Column("note", t("note")),
        Column("since", t("since_date"), "date"),
    ]
    waits = [
        {**d, "what": f"{d['project']} {d['title']}" if d["project"] else d["external"]}
        for d in deps["depends_on"]
    ]
    needed = [{**d, "what": f"{d['project']} {d['title']}"} for d in deps["needed_by"]]
    return [
        Subheading(t("waits_for")),
        Table(columns, waits, t("no_dependencies")),
        Subheading(t("needed_by")),
        Table(columns, needed, t("no_dependencies")),
    ]
