"""`report deliverables`: the committee calendar for a period, with prior handling."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from portefolje.domain.dates import format_long
from portefolje.i18n import labels
from portefolje.reports.model import Column, Report, Section, Table
from portefolje.store import deliverables as store


def chain(d: dict[str, Any], lang: str) -> str:
    """'BUU 12. februar 2019 (drøftelse) → ØU 20. februar 2019'."""
    steps = [
        f"{p['committee']} {format_long(p['meeting_date'], lang)}"
        + (f" ({p['kind']})" if p["kind"] else "")
        for p in d["prior"]
    ]
    steps.append(f"{d['committee']} {format_long(d['meeting_date'], lang)}")
    return " → ".join(steps)


def build(
    conn: sqlite3.Connection,
    *,
    portfolio: str | None,
    committee: str | None,
    date_from: date,
    date_to: date,
    lang: str,
    as_of: date | None = None,
) -> Report:
    t = labels(lang)
    rows = store.deliverables(
        conn,
        portfolio=portfolio,
        committee=committee,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        as_of=as_of,
    )
    by_committee: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for d in rows:
        d["chain"] = chain(d, lang)
        d["kind_label"] = d["kind"] or ""
        d["status_label"] = t(d["status"])
        if d["original_meeting_date"] == d["meeting_date"]:
            d["original_meeting_date"] = None
        by_committee.setdefault(d["committee"], []).append(d)
        names[d["committee"]] = d["committee_name"]
    ordered = sorted(by_committee.items(), key=lambda kv: names[kv[0]])
    sections = [
        Section(f"committee-{code}", f"{names[code]} ({code})", [Table(_columns(t), items)])
        for code, items in ordered
    ] or [Section("none", t("calendar"), [Table(_columns(t), [], t("no_deliverables"))])]
    facts = [
        (t("portfolio"), portfolio or t("all_portfolios")),
        (t("period"), f"{format_long(date_from, lang)} – {format_long(date_to, lang)}"),
    ]
    data = {
        "report": "deliverables",
        "portfolio": portfolio,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
        "committees": [
            {"code": code, "name": names[code], "deliverables": [_public(d) for d in items]}
            for code, items in ordered
        ],
    }
    return Report("deliverables", t("calendar"), lang, facts, sections, data, _flat(rows))


def _columns(t: Any) -> list[Column]:
    return [
        Column("meeting_date", t("meeting"), "date"),
        Column("code", t("code")),
        Column("title", t("title")),
        Column("kind_label", t("kind")),
        Column("status_label", t("status")),
        Column("chain", t("chain")),
        Column("projects", t("projects"), "list"),
        Column("original_meeting_date", t("original_date"), "date"),
    ]


def _flat(rows: list[dict[str, Any]]) -> Table:
    keys = (
        "meeting_date",
        "committee",
        "code",
        "title",
        "kind",
        "status",
        "prior",
        "projects",
        "original_meeting_date",
    )
    return Table(
        [Column(k, k) for k in keys],
        [
            {
                **d,
                "prior": "; ".join(f"{p['committee']}:{p['meeting_date']}" for p in d["prior"]),
                "original_meeting_date": d["original_meeting_date"] or d["meeting_date"],
            }
            for d in rows
        ],
    )


def _public(d: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "code",
        "title",
        "meeting_date",
        "kind",
        "status",
        "delivered_date",
        "cancelled_date",
        "projects",
        "prior",
        "postponements",
        "description",
    )
    out = {k: d[k] for k in keep}
    out["original_meeting_date"] = d["original_meeting_date"] or d["meeting_date"]
    return out
