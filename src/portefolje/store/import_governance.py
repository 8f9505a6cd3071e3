"""The document import for the governance records (criteria, meetings, decisions, candidate
segments, risks, actions, and a project's approvals, scores and dependencies).

The same pattern as store/importing.py, whose dispatch tables these functions join: a new record
is completed (`PREPARE`: what a hand-written document may leave out), checked as a whole with the
history rules, then bulk-inserted; a changed record becomes the operations a user would have
typed: a new assessment is `risk edit`, a closing `risk close`, a done event `action done`, an
approval `segment approve`, a new score `project score`, an ended dependency `project depends
--end`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from portefolje.domain import history
from portefolje.domain.errors import Refused
from portefolje.i18n import column_name, msg, record_name

if TYPE_CHECKING:
    from portefolje.store.importing import Importer
    from portefolje.store.transfer import Spec

FAR = date(9999, 12, 31)


def _edited(given: set[str], item: dict[str, Any], current: dict[str, Any], *keys: str) -> set[str]:
    """`given` without the derived values (state, latest score …) the document left as they
    were exported: a history entry added to the document, with a stale state beside it, is the
    change; only a state the document itself changed is made as its own step."""
    return {k for k in given if k not in keys or item.get(k) != current.get(k)}


def _meeting_day(imp: Importer, decision: str | None, where: str) -> str | None:
    if decision is None:
        return None
    rid = imp.ref("decision", decision, where)
    row = imp.w.conn.execute(
        "SELECT m.date FROM decision d JOIN meeting m ON m.id = d.meeting_id WHERE d.id = ?",
        (rid,),
    ).fetchone()
    return str(row[0])


def _approvals_after_decisions(imp: Importer, what: str, item: dict[str, Any]) -> None:
    for e in item["history"]:
        taken = _meeting_day(imp, e.get("decision"), f"{what}.{item['code']}.history")
        if taken is not None and e["date"] < taken:
            raise Refused(
                msg(
                    "err.doc_approval_before_decision",
                    what=record_name(what[:-1], item["code"]),
                    date=e["date"],
                    decision=e["decision"],
                    taken=taken,
                )
            )


# -- completing and checking new records ---------------------------------------------------------


def _prepare_criterion(imp: Importer, item: dict[str, Any]) -> None:
    pid = imp.ref("portfolio", item["portfolio"], f"criteria.{item['code']}")
    taken = imp.w.conn.execute(
        "SELECT code FROM criterion WHERE portfolio_id = ? AND lower(name) = lower(?)",
        (pid, item["name"]),
    ).fetchone()
    if taken is not None:
        raise Refused(
            msg(
                "err.doc_criterion_taken",
                code=item["code"],
                portfolio=item["portfolio"],
                name=item["name"],
                other=taken[0],
            )
        )


def _prepare_segment(imp: Importer, item: dict[str, Any]) -> None:
    if not item["history"] and item.get("status") in ("proposed", "rejected"):
        item["history"] = [
            {"date": imp.today, "from": None, "to": "proposed", "note": "created", "decision": None}
        ]
    history.segment(item["code"], item["history"])
    _approvals_after_decisions(imp, "segments", item)


def _prepare_project(imp: Importer, item: dict[str, Any]) -> None:
    _approvals_after_decisions(imp, "projects", item)
    history.dependencies(item["code"], item["dependencies"])
    created = min(e["date"] for e in item["history"] if e["kind"] == "status")
    for d in item["dependencies"]:
        if d["from"] < created:
            raise Refused(
                msg("err.doc_dependency_early", code=item["code"], date=d["from"], created=created)
            )
    if not item["scores"]:
        return
    portfolio = imp.w.conn.execute(
        "SELECT portfolio_id FROM segment WHERE id = ?",
        (imp.ref("segment", item["segment"], f"projects.{item['code']}"),),
    ).fetchone()[0]
    last: dict[str, str] = {}
    for s in item["scores"]:
        kid = imp.ref("criterion", s["criterion"], f"projects.{item['code']}.scores")
        owner = imp.w.conn.execute(
            "SELECT portfolio_id FROM criterion WHERE id = ?", (kid,)
        ).fetchone()[0]
        if owner != portfolio:
            raise Refused(
                msg("err.doc_criterion_other", code=item["code"], criterion=s["criterion"])
            )
        if s["date"] < created or s["date"] < last.get(s["criterion"].lower(), s["date"]):
            raise Refused(
                msg(
                    "err.doc_score_early",
                    code=item["code"],
                    criterion=s["criterion"],
                    date=s["date"],
                )
            )
        last[s["criterion"].lower()] = s["date"]


def _prepare_risk(imp: Importer, item: dict[str, Any]) -> None:
    if (item.get("project") is None) == (item.get("portfolio") is None):
        raise Refused(msg("err.doc_owner", what=record_name("risk", item["code"])))
    p, c = item.get("probability"), item.get("consequence")
    if not item["assessments"] and p is not None and c is not None:
        item["assessments"] = [
            {"date": imp.today, "probability": p, "consequence": c, "note": None}
        ]
    history.risk(item["code"], item["assessments"], item["events"])
    if item.get("project"):
        from portefolje.store.risks import check_identified

        pid = imp.ref("project", item["project"], f"risks.{item['code']}")
        assert pid is not None
        check_identified(imp.w.conn, pid, item["assessments"][0]["date"])


def _prepare_action(imp: Importer, item: dict[str, Any]) -> None:
    if not (item.get("decision") or item.get("project") or item.get("portfolio")):
        raise Refused(msg("err.doc_action_owner", code=item["code"]))
    if not item.get("opened"):
        where = f"actions.{item['code']}"
        item["opened"] = _meeting_day(imp, item.get("decision"), where) or imp.today
    history.action(item["code"], item["opened"], item["due_date"], item["events"])


PREPARE = {
    "criteria": _prepare_criterion,
    "segments": _prepare_segment,
    "projects": _prepare_project,
    "risks": _prepare_risk,
    "actions": _prepare_action,
}


# -- derived values of new records (a state without its event) ----------------------------------


def _derived_segment(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    stored: dict[str, Any] | None = None,
) -> None:
    from portefolje.store import pipeline
    from portefolje.store.importing import differs

    if stored is not None and not differs("segments", item, given, stored, imp.today):
        return
    rid = rid if rid is not None else imp.ref("segment", item["code"], "segments")
    now = pipeline.segment_record(imp.w.conn, str(rid), as_of=FAR)
    wanted = item.get("status") if "status" in given else None
    if not wanted or wanted == now["status"]:
        return
    if now["status"] == "active" and wanted == "proposed":
        raise Refused(msg("err.doc_segment_active", code=item["code"]))
    if wanted == "active":
        raise Refused(msg("err.doc_segment_needs_decision", code=item["code"]))
    pipeline.decide_segment(
        imp.w,
        str(rid),
        "reject",
        on=max(imp.today, now["status_date"] or imp.today),
        reason=imp.note,
        decision=None,
    )


def _derived_risk(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    stored: dict[str, Any] | None = None,
) -> None:
    """A probability or consequence other than the latest assessment's is a new assessment
    today; a state other than the history's is a closing or reopening, with the import as
    reason."""
    from portefolje.store import risks
    from portefolje.store.importing import differs

    if stored is not None and not differs("risks", item, given, stored, imp.today):
        return
    rid = rid if rid is not None else imp.ref("risk", item["code"], "risks")
    now = risks.record(imp.w.conn, str(rid))
    p = item.get("probability") if "probability" in given else None
    c = item.get("consequence") if "consequence" in given else None
    if (p is not None and p != now["probability"]) or (c is not None and c != now["consequence"]):
        on = max(imp.today, now["assessed"])
        if now["state"] == "closed":
            risks.reopen(imp.w, str(rid), on=max(on, now["closed_date"]), reason=imp.note)
        risks.assess(imp.w, str(rid), probability=p, consequence=c, on=on, note=imp.note)
        now = risks.record(imp.w.conn, str(rid))
    wanted = item.get("state") if "state" in given else None
    if "closed_date" in given and item.get("closed_date"):
        wanted = "closed"
    if wanted and wanted != now["state"]:
        last = now["events"][-1]["date"] if now["events"] else now["identified"]
        on = item.get("closed_date") if wanted == "closed" and item.get("closed_date") else None
        on = on if on and on >= last else max(imp.today, last)
        verb = risks.close if wanted == "closed" else risks.reopen
        verb(imp.w, str(rid), on=on, reason=imp.note)


def _derived_action(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    stored: dict[str, Any] | None = None,
) -> None:
    from portefolje.store import meetings
    from portefolje.store.importing import differs

    if stored is not None and not differs("actions", item, given, stored, imp.today):
        return
    rid = rid if rid is not None else imp.ref("action", item["code"], "actions")
    now = meetings.action_record(imp.w.conn, str(rid), as_of=FAR)
    wanted = item.get("state") if "state" in given else None
    if "done_date" in given and item.get("done_date"):
        wanted = "done"
    if wanted and wanted != now["state"]:
        last = now["events"][-1]["date"] if now["events"] else now["opened"]
        on = item.get("done_date") if wanted == "done" and item.get("done_date") else None
        on = on if on and on >= last else max(imp.today, last)
        kind = "done" if wanted == "done" else "undone"
        meetings.action_event(imp.w, str(rid), kind, on=on, reason=imp.note)


DERIVED = {"segments": _derived_segment, "risks": _derived_risk, "actions": _derived_action}


# -- changes to existing records ----------------------------------------------------------------


def _update_criterion(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store.importing import _plain_changes

    changes = _plain_changes(spec, imp, item, current, given)
    if "portfolio_id" in changes:
        raise Refused(msg("err.doc_criterion_move", code=item["code"]))
    if changes:
        imp.w.update("criterion", rid, changes, action="import")


def _update_segment(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import pipeline
    from portefolje.store.importing import _new_entries, _plain_changes, _unchanged

    before = imp.w.changes
    changes = _plain_changes(spec, imp, item, current, given)
    if changes:
        imp.w.update("segment", rid, changes, action="import")
    if "history" in given:
        for e in _new_entries(item["history"], current["history"]):
            if e["from"] is None:
                raise Refused(msg("err.doc_segment_registered", code=item["code"]))
            verb = "approve" if e["to"] == "active" else "reject"
            pipeline.decide_segment(
                imp.w,
                str(rid),
                verb,
                on=e["date"],
                reason=e.get("note"),
                decision=e.get("decision"),
            )
    _derived_segment(
        imp, item, _edited(given, item, current, "status"), rid, _unchanged(imp, before, current)
    )


def update_project_governance(
    imp: Importer, rid: int, item: dict[str, Any], current: dict[str, Any], given: set[str]
) -> None:
    """A project's decisions (the link list), new scores, and new or ended dependencies."""
    from portefolje.store import pipeline, transfer
    from portefolje.store.importing import _new_entries

    if "decisions" in given and item["decisions"] != current["decisions"]:
        links = transfer.spec("projects").links[1]
        transfer.sync_links(
            imp.w, "project", rid, links, item["decisions"], imp.codes, f"projects.{item['code']}"
        )
    if "scores" in given:
        for s in _new_entries(item["scores"], current["scores"]):
            pipeline.score(
                imp.w, str(rid), s["criterion"], s["score"], on=s["date"], note=s.get("note")
            )
    if "dependencies" in given:
        for d in _new_entries(item["dependencies"], current["dependencies"]):
            _dependency(imp, rid, d, current["dependencies"])


def _dependency(imp: Importer, rid: int, d: dict[str, Any], stored: list[dict[str, Any]]) -> None:
    """A dependency the database does not have: one it holds open with the same start is now
    ended; anything else is a new dependency (ended too, when the document says so)."""
    from portefolje.store import dependencies

    target = {"on_project": d.get("on"), "external": d.get("external")}
    same = [
        s
        for s in stored
        if s.get("on") == d.get("on")
        and s.get("external") == d.get("external")
        and s["from"] == d["from"]
        and s.get("to") is None
    ]
    if not same:
        dependencies.depend(imp.w, str(rid), note=d.get("note"), on=d["from"], **target)
    if d.get("to"):
        dependencies.end(imp.w, str(rid), on=d["to"], **target)


def _update_risk(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import risks
    from portefolje.store.importing import _new_entries, _plain_changes, _unchanged

    before = imp.w.changes
    changes = _plain_changes(spec, imp, item, current, given)
    if changes:  # text, and a move between project and portfolio (the schema keeps one)
        imp.w.update("risk", rid, changes, action="import")
    steps: list[tuple[str, int, dict[str, Any]]] = []
    if "assessments" in given:
        steps += [
            (a["date"], 0, a) for a in _new_entries(item["assessments"], current["assessments"])
        ]
    if "events" in given:
        steps += [(e["date"], 1, e) for e in _new_entries(item["events"], current["events"])]
    for _, order, entry in sorted(steps, key=lambda s: (s[0], s[1])):
        if order == 0:
            risks.assess(
                imp.w,
                str(rid),
                probability=entry["probability"],
                consequence=entry["consequence"],
                on=entry["date"],
                note=entry.get("note"),
                force=True,
            )
        else:
            verb = risks.close if entry["kind"] == "closed" else risks.reopen
            verb(imp.w, str(rid), on=entry["date"], reason=entry.get("reason"))
    derived = ("probability", "consequence", "score", "state", "closed_date")
    _derived_risk(
        imp, item, _edited(given, item, current, *derived), rid, _unchanged(imp, before, current)
    )


def _update_action(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import meetings
    from portefolje.store.importing import _new_entries, _plain_changes, _unchanged

    before = imp.w.changes
    changes = _plain_changes(spec, imp, item, current, given)
    for fixed in ("due_date", "opened"):
        if fixed in changes:
            raise Refused(msg("err.doc_action_fixed", code=item["code"], field=column_name(fixed)))
    if changes:
        imp.w.update("action", rid, changes, action="import")
    if "events" in given:
        for e in _new_entries(item["events"], current["events"]):
            meetings.action_event(imp.w, str(rid), e["kind"], on=e["date"], reason=e.get("reason"))
    _derived_action(
        imp,
        item,
        _edited(given, item, current, "state", "done_date"),
        rid,
        _unchanged(imp, before, current),
    )


UPDATE = {
    "criteria": _update_criterion,
    "segments": _update_segment,
    "risks": _update_risk,
    "actions": _update_action,
}
