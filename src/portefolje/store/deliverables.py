"""Committee deliverables (leverancer til udvalg): meeting, kind, projects, prior handling,
delivery and postponement (the original date is kept)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from portefolje.domain import rules
from portefolje.domain.errors import Refused
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

COLUMNS = (
    "d.id, d.code, d.title, c.code AS committee, c.name AS committee_name, pf.code AS portfolio, "
    "d.meeting_date, d.kind, d.status, d.delivered_date, d.description"
)
FROM = (
    "FROM deliverable d JOIN committee c ON c.id = d.committee_id "
    "LEFT JOIN portfolio pf ON pf.id = d.portfolio_id"
)


def deliverables(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    committee: str | None = None,
    portfolio: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    status: str | None = None,
    changed: tuple[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Deliverables with their projects, prior handling and postponements (4 queries in all).

    `changed=(from, to)` keeps those delivered or postponed within those dates.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"d.id IN ({','.join('?' * len(ids))})")
        params += ids
    if committee is not None:
        clauses.append("d.committee_id = ?")
        params.append(resolve(conn, "committee", committee)["id"])
    if portfolio is not None:
        pf = resolve(conn, "portfolio", portfolio)["id"]
        clauses.append(
            "(d.portfolio_id = ? OR d.id IN (SELECT dp.deliverable_id FROM deliverable_project dp "
            "JOIN project p ON p.id = dp.project_id JOIN segment s ON s.id = p.segment_id "
            "WHERE s.portfolio_id = ?))"
        )
        params += [pf, pf]
    if date_from is not None:
        clauses.append("d.meeting_date >= ?")
        params.append(date_from)
    if date_to is not None:
        clauses.append("d.meeting_date <= ?")
        params.append(date_to)
    if status is not None:
        clauses.append("d.status = ?")
        params.append(status)
    if changed is not None:
        clauses.append(
            "(d.delivered_date BETWEEN ? AND ? OR d.id IN (SELECT deliverable_id FROM "
            "deliverable_postponement WHERE postponed_on BETWEEN ? AND ?))"
        )
        params += [*changed, *changed]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT {COLUMNS} {FROM} {where} ORDER BY d.meeting_date, c.name, d.id", params
        )
    ]
    if not rows:
        return rows
    wanted = [r["id"] for r in rows]
    marks = ",".join("?" * len(wanted))
    projects: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute(
        "SELECT dp.deliverable_id, p.code FROM deliverable_project dp JOIN project p "
        f"ON p.id = dp.project_id WHERE dp.deliverable_id IN ({marks}) ORDER BY dp.id",
        wanted,
    ):
        projects[r[0]].append(r[1])
    priors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT pr.deliverable_id, c.code, c.name, pr.meeting_date, pr.kind "
        "FROM deliverable_prior pr JOIN committee c ON c.id = pr.committee_id "
        f"WHERE pr.deliverable_id IN ({marks}) "
        "ORDER BY pr.meeting_date, pr.id",
        wanted,
    ):
        priors[r[0]].append(
            {"committee": r[1], "committee_name": r[2], "meeting_date": r[3], "kind": r[4]}
        )
    postponements: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT deliverable_id, postponed_on, old_date, new_date, reason FROM "
        f"deliverable_postponement WHERE deliverable_id IN ({marks}) ORDER BY id",
        wanted,
    ):
        postponements[r[0]].append({"postponed_on": r[1], "from": r[2], "to": r[3], "reason": r[4]})
    for r in rows:
        r["projects"] = projects.get(r["id"], [])
        r["prior"] = priors.get(r["id"], [])
        r["postponements"] = postponements.get(r["id"], [])
        r["original_meeting_date"] = (
            r["postponements"][0]["from"] if r["postponements"] else r["meeting_date"]
        )
    return rows


def record(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    return deliverables(conn, [resolve(conn, "deliverable", ref)["id"]])[0]


def add(
    w: Writer,
    title: str,
    *,
    committee: str,
    meeting: str,
    kind: str | None,
    projects: list[str],
    priors: list[tuple[str, str, str | None]],
    portfolio: str | None,
    code: str | None,
    description: str | None,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    rules.check_prior_dates(meeting, [day for _, day, _ in priors])
    values: dict[str, Any] = {
        "title": rules.require_text(title, "a title"),
        "committee_id": resolve(w.conn, "committee", committee)["id"],
        "meeting_date": meeting,
        "kind": kind,
        "description": description,
    }
    if portfolio is not None:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio)["id"]
    rec = add_record(w, "deliverable", values, code)
    for ref in dict.fromkeys(projects):
        w.insert(
            "deliverable_project",
            {"deliverable_id": rec["id"], "project_id": resolve(w.conn, "project", ref)["id"]},
        )
    for committee_ref, day, prior_kind in priors:
        w.insert(
            "deliverable_prior",
            {
                "deliverable_id": rec["id"],
                "committee_id": resolve(w.conn, "committee", committee_ref)["id"],
                "meeting_date": day,
                "kind": prior_kind,
            },
        )
    return record(w.conn, rec["id"])


def deliver(w: Writer, ref: str, *, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "deliverable", ref)
    if row["status"] == "delivered":
        raise Refused(f"deliverable {row['code']} was already delivered on {row['delivered_date']}")
    w.update(
        "deliverable", row["id"], {"status": "delivered", "delivered_date": on}, action="deliver"
    )
    return record(w.conn, row["id"])


def postpone(w: Writer, ref: str, *, meeting: str, reason: str | None, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "deliverable", ref)
    reason = rules.require_text(reason, "a reason (--reason) to postpone a deliverable")
    if row["status"] == "delivered":
        raise Refused(f"deliverable {row['code']} was delivered on {row['delivered_date']}")
    if meeting == row["meeting_date"]:
        raise Refused(f"deliverable {row['code']} is already planned for {meeting}")
    w.insert(
        "deliverable_postponement",
        {
            "deliverable_id": row["id"],
            "postponed_on": on,
            "old_date": row["meeting_date"],
            "new_date": meeting,
            "reason": reason,
        },
    )
    w.update(
        "deliverable",
        row["id"],
        {"meeting_date": meeting, "status": "postponed"},
        action="postpone",
    )
    return record(w.conn, row["id"])
