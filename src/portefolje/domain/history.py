"""Rules over a whole history, the same ones the single steps obey: the document import checks a
new record's history with these before it writes it in bulk, so a history that the commands
could not have made is refused however it arrives. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portefolje.domain import rules
from portefolje.domain.errors import Refused


def project(code: str, events: Sequence[dict[str, Any]]) -> None:
    """Status steps are transitions in date order, starting active or proposed; phase changes
    come in date order; no event comes before the project's creation."""
    steps = [(e["date"], e["to"]) for e in events if e["kind"] == "status"]
    if not steps:
        raise Refused(f"project {code} has no status history; give at least its creation")
    rules.lifecycle(code, steps)
    statuses = [e for e in events if e["kind"] == "status"]
    for before, after in zip(statuses, statuses[1:], strict=False):
        if before["to"] == "proposed" and after["to"] == "active" and not after.get("decision"):
            raise Refused(
                f"project {code}: the approval on {after['date']} needs the decision it rests on "
                "(decision: a decision's code)"
            )
    created = steps[0][0]
    _in_order(code, [e["date"] for e in events if e["kind"] == "phase"], "phase change")
    for e in events:
        rules.check_not_before(e["date"], created, f"project {code}")


def solution(code: str, events: Sequence[dict[str, Any]]) -> None:
    """A solution's steps: created first, then moves along its path in date order."""
    if not events:
        raise Refused(f"solution {code} has no history; give at least its creation")
    if events[0]["from"] is not None:
        raise Refused(f"solution {code}'s history must start with its creation (from: null)")
    for before, after in zip(events, events[1:], strict=False):
        rules.check_event_date(after["date"], before["date"], f"step of solution {code}")
        if after["from"] != before["to"]:
            raise Refused(
                f"solution {code}: a step from {after['from']} follows a step to {before['to']}"
            )
        rules.solution_transition(code, before["to"], after["to"], after.get("note"))


def moves(code: str, due: str, steps: Sequence[dict[str, Any]], what: str = "milestone") -> None:
    """Moves of a date in the order they were made, each from the date the one before set, the
    last one to the current date."""
    for before, after in zip(steps, steps[1:], strict=False):
        date_key = "moved_on" if "moved_on" in after else "postponed_on"
        rules.check_event_date(after[date_key], before[date_key], f"move of {what} {code}")
        if after["from"] != before["to"]:
            raise Refused(
                f"{what} {code}: a move from {after['from']} follows a move to {before['to']}"
            )
    if steps and steps[-1]["to"] != due:
        raise Refused(
            f"{what} {code}: its last move goes to {steps[-1]['to']}, but its date is {due}"
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
            raise Refused(f"{what} {code}: {e['kind']} is not a change of a {what}'s state")
        starts, leads_to = table[e["kind"]]
        if state not in starts:
            raise Refused(f"{what} {code} cannot be {e['kind']} on {e['date']}: it is {state}")
        if (
            e["kind"] in ("undone", "undelivered", "cancelled")
            and not (e.get("reason") or "").strip()
        ):
            raise Refused(f"{what} {code}: {e['kind']} on {e['date']} needs a reason")
        rules.check_event_date(e["date"], last, f"change of {what} {code}")
        state, last = leads_to, e["date"]
    return state


def versions(code: str, what: str, steps: Sequence[dict[str, Any]]) -> None:
    """Versions of a figure follow each other without gap or overlap: each ends the day the next
    begins; only the last may still be in force."""
    for before, after in zip(steps, steps[1:], strict=False):
        if before.get("to") is None:
            raise Refused(f"{what} {code}: only its latest version can still be in force")
        if after.get("from") != before["to"]:
            raise Refused(
                f"{what} {code}: a version ending {before['to']} is followed by one from "
                f"{after.get('from')}"
            )
    for step in steps:
        if step.get("from") and step.get("to") and step["to"] <= step["from"]:
            raise Refused(f"{what} {code}: a version ends ({step['to']}) before it begins")


def _in_order(code: str, dates: Sequence[str], what: str) -> None:
    for before, after in zip(dates, dates[1:], strict=False):
        rules.check_event_date(after, before, f"{what} of {code}")


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
            raise Refused(f"{what} {code}: {e['kind']} on {e['date']} needs a reason")
        rules.check_not_before(e["date"], first, f"{what} {code}")
        rules.check_event_date(e["date"], last, f"change of {what} {code}")
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
        raise Refused(
            f"risk {code} has no assessment; give at least the first "
            "(date, probability, consequence)"
        )
    _in_order(code, [a["date"] for a in assessments], "assessment")
    spans = _walk(code, "risk", RISK_STATES, RISK_REASONS, events, assessments[0]["date"])
    for a in assessments[1:]:
        for start, until, state in spans:
            if state == "closed" and start < a["date"] and (not until or a["date"] < until):
                raise Refused(f"risk {code} is re-assessed on {a['date']}, while it was closed")


def action(code: str, opened: str, due: str, events: Sequence[dict[str, Any]]) -> None:
    """Due on or after the day it was asked for; done and undone alternate from that day."""
    from portefolje.domain.governance import ACTION_REASONS, ACTION_STATES

    if due < opened:
        raise Refused(f"action {code} is due on {due}, before it was asked for ({opened})")
    _walk(code, "action", ACTION_STATES, ACTION_REASONS, events, opened)


def segment(code: str, events: Sequence[dict[str, Any]]) -> None:
    """A candidate segment: proposed first, then approved on a decision or rejected with a
    reason."""
    from portefolje.domain.governance import segment_lifecycle

    segment_lifecycle(code, [(e["date"], e["from"], e["to"]) for e in events])
    for e in events[1:]:
        if e["to"] == "active" and not e.get("decision"):
            raise Refused(
                f"segment {code}: the approval on {e['date']} needs the decision it rests on"
            )
        if e["to"] == "rejected" and not (e.get("note") or "").strip():
            raise Refused(f"segment {code}: the rejection on {e['date']} needs a reason (note)")


def dependencies(code: str, deps: Sequence[dict[str, Any]]) -> None:
    """No project waits for itself, and one target is waited for once at a time."""
    held: dict[str, list[tuple[str, str | None]]] = {}
    for d in deps:
        if d.get("on") is not None and d["on"].lower() == code.lower():
            raise Refused(f"project {code} cannot depend on itself")
        key = (d.get("on") or "").lower() or "external:" + (d.get("external") or "").lower()
        for _start, end in held.get(key, []):
            if end is None or d["from"] < end:
                raise Refused(
                    f"project {code} depends twice on {d.get('on') or d.get('external')} "
                    f"from {d['from']}; end the first one before"
                )
        held.setdefault(key, []).append((d["from"], d.get("to")))
