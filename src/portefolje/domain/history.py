"""Rules over a whole history, the same ones the single steps obey: the document import checks a
new record's history with these before it writes it in bulk, so a history that the commands
could not have made is refused however it arrives. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portefolje.domain import rules
from portefolje.domain.errors import Refused
from portefolje.i18n import msg


def project(code: str, events: Sequence[dict[str, Any]]) -> None:
    """Status steps are transitions in date order, starting active or proposed; phase changes
    come in date order; no event comes before the project's creation."""
    steps = [(e["date"], e["to"]) for e in events if e["kind"] == "status"]
    if not steps:
        raise Refused(msg("err.doc_no_status_history", code=code))
    rules.lifecycle(code, steps)
    statuses = [e for e in events if e["kind"] == "status"]
    for before, after in zip(statuses, statuses[1:], strict=False):
        if before["to"] == "proposed" and after["to"] == "active" and not after.get("decision"):
            raise Refused(msg("err.doc_approval_decision", code=code, date=after["date"]))
    created = steps[0][0]
    _in_order(code, [e["date"] for e in events if e["kind"] == "phase"], msg("what.phase_change"))
    for e in events:
        rules.check_not_before(e["date"], created, _record("project", code))


def solution(code: str, events: Sequence[dict[str, Any]]) -> None:
    """A solution's steps: created first, then moves along its path in date order."""
    if not events:
        raise Refused(msg("err.doc_solution_no_history", code=code))
    if events[0]["from"] is not None:
        raise Refused(msg("err.doc_solution_start", code=code))
    for before, after in zip(events, events[1:], strict=False):
        rules.check_event_date(after["date"], before["date"], _of("what.step_of", "solution", code))
        if after["from"] != before["to"]:
            raise Refused(msg("err.doc_solution_chain", code=code, a=after["from"], b=before["to"]))
        rules.solution_transition(code, before["to"], after["to"], after.get("note"))


def moves(code: str, due: str, steps: Sequence[dict[str, Any]], what: str = "milestone") -> None:
    """Moves of a date in the order they were made, each from the date the one before set, the
    last one to the current date."""
    for before, after in zip(steps, steps[1:], strict=False):
        date_key = "moved_on" if "moved_on" in after else "postponed_on"
        rules.check_event_date(after[date_key], before[date_key], _of("what.move_of", what, code))
        if after["from"] != before["to"]:
            raise Refused(
                msg(
                    "err.doc_move_chain",
                    what=_record(what, code),
                    a=after["from"],
                    b=before["to"],
                )
            )
    if steps and steps[-1]["to"] != due:
        raise Refused(
            msg("err.doc_last_move", what=_record(what, code), to=steps[-1]["to"], due=due)
        )


def postponements(code: str, meeting: str, steps: Sequence[dict[str, Any]]) -> None:
    """A deliverable's postponements and bringings forward: chained like moves, each in the
    direction its kind says."""
    moves(code, meeting, steps, "deliverable")
    for step in steps:
        kind = step.get("kind") or ("advanced" if step["to"] < step["from"] else "postponed")
        rules.check_reschedule(code, step["from"], step["to"], kind)


# what each change of state may follow: (states it may come from, state it leads to)
MILESTONE_STATES = {
    "done": (("open",), "done"),
    "undone": (("done",), "open"),
    "cancelled": (("open",), "cancelled"),
    "reinstated": (("cancelled",), "open"),
}
DELIVERABLE_STATES = {
    "delivered": (("open",), "delivered"),
    "undelivered": (("delivered",), "open"),
    "cancelled": (("open",), "cancelled"),
    "reinstated": (("cancelled",), "open"),
}


def states(code: str, what: str, events: Sequence[dict[str, Any]]) -> str:
    """Check a sequence of state changes in date order; returns the final state."""
    table = MILESTONE_STATES if what == "milestone" else DELIVERABLE_STATES
    state, last = "open", None
    for e in events:
        if e["kind"] not in table:
            raise Refused(
                msg("err.doc_not_a_state_change", what=_record(what, code), event=e["kind"])
            )
        starts, leads_to = table[e["kind"]]
        if state not in starts:
            raise Refused(
                msg(
                    "err.doc_state_cannot",
                    what=_record(what, code),
                    event=e["kind"],
                    date=e["date"],
                    state=rules.word(state),
                )
            )
        if (
            e["kind"] in ("undone", "undelivered", "cancelled")
            and not (e.get("reason") or "").strip()
        ):
            raise Refused(
                msg(
                    "err.doc_needs_reason",
                    what=_record(what, code),
                    event=e["kind"],
                    date=e["date"],
                )
            )
        rules.check_event_date(e["date"], last, _of("what.change_of", what, code))
        state, last = leads_to, e["date"]
    return state


def versions(code: str, what: str, steps: Sequence[dict[str, Any]]) -> None:
    """Versions of a figure follow each other without gap or overlap: each ends the day the next
    begins; only the last may still be in force."""
    for before, after in zip(steps, steps[1:], strict=False):
        if before.get("to") is None:
            raise Refused(msg("err.doc_version_open", what=_record(what, code)))
        if after.get("from") != before["to"]:
            raise Refused(
                msg(
                    "err.doc_version_gap",
                    what=_record(what, code),
                    end=before["to"],
                    start=after.get("from"),
                )
            )
    for step in steps:
        if step.get("from") and step.get("to") and step["to"] <= step["from"]:
            raise Refused(msg("err.doc_version_reversed", what=_record(what, code), end=step["to"]))


def _in_order(code: str, dates: Sequence[str], what: str) -> None:
    """`what` names the kind of event in the person's language."""
    for before, after in zip(dates, dates[1:], strict=False):
        rules.check_event_date(after, before, msg("what.event_of", what=what, code=code))


def _record(kind: str, code: str) -> str:
    """'projekt P1' / 'project P1': a record named by its kind and code."""
    return msg("what.record", kind=msg(f"kind.{kind}"), code=code)


def _of(key: str, kind: str, code: str) -> str:
    """'ændring af milepæl M3' / 'change of milestone M3'."""
    return msg(key, kind=msg(f"kind.{kind}"), code=code)


# -- governance records ---------------------------------------------------------------------------


def _walk(
    code: str,
    what: str,
    table: dict[str, tuple[tuple[str, ...], str]],
    needs_reason: tuple[str, ...],
    events: Sequence[dict[str, Any]],
    first: str,
) -> list[tuple[str, str, str]]:
    """Check changes of state in date order, none before `first`; returns (from, until, state)
    spans (until '' = still)."""
    from portefolje.domain.governance import state_after

    state, last = "open", None
    spans: list[tuple[str, str, str]] = []
    start = first
    for e in events:
        leads_to = state_after(code, what, table, state, e["kind"])
        if e["kind"] in needs_reason and not (e.get("reason") or "").strip():
            raise Refused(
                msg(
                    "err.doc_needs_reason",
                    what=_record(what, code),
                    event=e["kind"],
                    date=e["date"],
                )
            )
        rules.check_not_before(e["date"], first, _record(what, code))
        rules.check_event_date(e["date"], last, _of("what.change_of", what, code))
        spans.append((start, e["date"], state))
        state, last, start = leads_to, e["date"], e["date"]
    spans.append((start, "", state))
    return spans


def risk(
    code: str, assessments: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]]
) -> None:
    """At least one assessment (the first is when the risk was identified), in date order;
    closings and reopenings alternate after it; a closed risk is not re-assessed."""
    from portefolje.domain.governance import RISK_REASONS, RISK_STATES

    if not assessments:
        raise Refused(msg("err.doc_risk_no_assessment", code=code))
    _in_order(code, [a["date"] for a in assessments], msg("what.assessment"))
    spans = _walk(code, "risk", RISK_STATES, RISK_REASONS, events, assessments[0]["date"])
    for a in assessments[1:]:
        for start, until, state in spans:
            if state == "closed" and start < a["date"] and (not until or a["date"] < until):
                raise Refused(msg("err.doc_risk_closed_assessed", code=code, date=a["date"]))


def action(code: str, opened: str, due: str, events: Sequence[dict[str, Any]]) -> None:
    """Due on or after the day it was asked for; done and undone alternate from that day."""
    from portefolje.domain.governance import ACTION_REASONS, ACTION_STATES

    if due < opened:
        raise Refused(msg("err.doc_action_due_early", code=code, due=due, opened=opened))
    _walk(code, "action", ACTION_STATES, ACTION_REASONS, events, opened)


def segment(code: str, events: Sequence[dict[str, Any]]) -> None:
    """A candidate segment: proposed first, then approved on a decision or rejected with a
    reason."""
    from portefolje.domain.governance import segment_lifecycle

    segment_lifecycle(code, [(e["date"], e["from"], e["to"]) for e in events])
    for e in events[1:]:
        if e["to"] == "active" and not e.get("decision"):
            raise Refused(msg("err.doc_segment_approval", code=code, date=e["date"]))
        if e["to"] == "rejected" and not (e.get("note") or "").strip():
            raise Refused(msg("err.doc_segment_rejection", code=code, date=e["date"]))


def dependencies(code: str, deps: Sequence[dict[str, Any]]) -> None:
    """No project waits for itself, and one target is waited for once at a time."""
    held: dict[str, list[tuple[str, str | None]]] = {}
    for d in deps:
        if d.get("on") is not None and d["on"].lower() == code.lower():
            raise Refused(msg("err.depends_on_itself", code=code))
        key = (d.get("on") or "").lower() or "external:" + (d.get("external") or "").lower()
        for _start, end in held.get(key, []):
            if end is None or d["from"] < end:
                raise Refused(
                    msg(
                        "err.doc_depends_twice",
                        code=code,
                        on=d.get("on") or d.get("external"),
                        date=d["from"],
                    )
                )
        held.setdefault(key, []).append((d["from"], d.get("to")))
