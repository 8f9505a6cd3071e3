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
