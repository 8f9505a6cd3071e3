"""Vocabularies and rules of the register: statuses, phases, health, codes, transitions."""

from __future__ import annotations

import re

from portefolje.domain.errors import InvalidValue, Refused

STATUSES = ("active", "paused", "closed")
# the pipeline: a proposal awaits a decision, and is approved (active) or rejected
ALL_STATUSES = ("proposed", "active", "paused", "closed", "rejected")
PHASES = ("forberedelse", "indsigt", "udvikling", "prøvehandling", "implementering")
CATEGORIES = ("familie", "flere-indsatser", "overgang")
COLORS = ("green", "yellow", "red")
# The Danish state's traffic-light model (Statens It-råd / projektmodellen): an overall assessment
# plus one per dimension.
DIMENSIONS = ("overall", "schedule", "cost", "economic-benefits", "other-benefits")

# verb -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
    "close": (("active", "paused"), "closed"),
    "reopen": (("closed",), "active"),
    "approve": (("proposed",), "active"),
    "reject": (("proposed",), "rejected"),
}
_HOW = {
    "pause": "only an active project can be paused",
    "resume": "only a paused project can be resumed",
    "close": "only an active or paused project can be closed",
    "reopen": "only a closed project can be reopened",
    "approve": "only a proposed project can be approved",
    "reject": "only a proposed project can be rejected",
}
# the verbs whose reason is required (a pause, a reopening and a rejection must say why)
NEEDS_REASON = ("pause", "reopen", "reject")


def status_for_transition(verb: str) -> str:
    return TRANSITIONS[verb][1]


def lifecycle(code: str, steps: list[tuple[str, str]]) -> None:
    """Check a whole status history [(date, status), …] oldest first, as the verbs would: it
    starts active or proposed, dates never run backwards, and each step is a transition some
    verb makes. The document import checks a project's history with this before writing it."""
    if not steps:
        return
    first_day, first = steps[0]
    if first not in ("active", "proposed"):
        raise Refused(f"project {code}'s history must start active or proposed, not {first}")
    for (day_a, a), (day_b, b) in zip(steps, steps[1:], strict=False):
        check_event_date(day_b, day_a, "status change")
        if not any(b == to and a in starts for starts, to in TRANSITIONS.values()):
            raise Refused(f"project {code} cannot go from {a} to {b} (on {day_b})")


def verb_between(current: str, wanted: str) -> str | None:
    """The verb that takes a project from `current` to `wanted` in one step, if any."""
    for verb, (starts, to) in TRANSITIONS.items():
        if to == wanted and current in starts:
            return verb
    return None


def check_event_date(on: str, last: str | None, what: str) -> None:
    """Events of one kind come in date order: a new one cannot be dated before the last."""
    if last is not None and on < last:
        raise Refused(
            f"the date {on} is before the last {what} ({last}); dates cannot run backwards"
        )


def check_not_before(on: str, first: str, what: str) -> None:
    if on < first:
        raise Refused(f"the date {on} is before {what} was created ({first})")


_CODE = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå._-]{0,19}")


def transition(code: str, current: str, verb: str) -> str:
    """The status `verb` leads to from `current`, or Refused saying why not."""
    allowed, target = TRANSITIONS[verb]
    if current not in allowed:
        hint = (
            f" (reopen it first: portefolje project reopen {code} --reason …)"
            if (current == "closed" and verb != "close")
            else ""
        )
        how = "it is already closed" if verb == "close" and current == "closed" else _HOW[verb]
        raise Refused(f"project {code} is {current}; {how}{hint}")
    return target


def check_code(code: str) -> str:
    """A human code: 1-20 letters, digits, '.', '_' or '-', starting with a letter or digit and
    not all digits (a number is read as an id)."""
    code = code.strip()
    if not _CODE.fullmatch(code) or code.isdigit():
        raise InvalidValue(
            f"invalid code {code!r}: use 1-20 letters, digits, '.', '_' or '-', not only digits"
        )
    return code


def choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """`value` lower-cased if it is one of `allowed` (None passes through)."""
    if value is None:
        return None
    normal = value.strip().lower()
    aliases = {"provehandling": "prøvehandling", "prøve": "prøvehandling"}
    normal = aliases.get(normal, normal)
    if normal not in allowed:
        raise InvalidValue(f"invalid {what} {value!r}: choose one of {', '.join(allowed)}")
    return allowed[allowed.index(normal)]


def require_text(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise InvalidValue(f"{what} is required and must not be empty")
    return value.strip()


# -- solutions (løsninger) -----------------------------------------------------------------------

# Odense's six themes of solution concepts, plus "other".
SOLUTION_KINDS = (
    "procedure",
    "organisation",
    "cooperation-agreement",
    "information",
    "legal-agreement",
    "it",
    "other",
)
SOLUTION_STATUSES = ("idea", "developing", "trial", "implemented", "handed-over", "dropped")
_SOLUTION_STAGE = {"idea": 0, "developing": 1, "trial": 2, "implemented": 3, "handed-over": 4}
SOLUTION_FINAL = ("handed-over", "dropped")


def solution_transition(code: str, current: str, target: str, note: str | None) -> None:
    """Refuse a solution status change that makes no sense; a step back needs a note."""
    if current == target:
        raise Refused(f"solution {code} is already {current}")
    if current in SOLUTION_FINAL:
        raise Refused(f"solution {code} is {current}; that is final")
    if (
        target != "dropped"
        and _SOLUTION_STAGE[target] < _SOLUTION_STAGE[current]
        and not (note and note.strip())
    ):
        raise Refused(f"solution {code} goes back from {current} to {target}; say why with --note")


# -- committee deliverables (leverancer) ---------------------------------------------------------

DELIVERABLE_KINDS = ("orientering", "drøftelse", "beslutning")
_KIND_ALIASES = {"droftelse": "drøftelse", "drofelse": "drøftelse"}


def deliverable_kind(value: str | None) -> str | None:
    if value is None:
        return None
    return choice(_KIND_ALIASES.get(value.strip().lower(), value), DELIVERABLE_KINDS, "kind")


def check_prior_dates(meeting: str, priors: list[str], *, moving: bool = False) -> None:
    """Prior handling (forbehandling) happens before the meeting, never after it."""
    for day in priors:
        if day > meeting:
            if moving:
                raise Refused(
                    f"the prior handling on {day} would come after the new meeting on {meeting}; "
                    "give the new prior handling with --prior COMMITTEE:DATE (or --prior none)"
                )
            raise InvalidValue(
                f"prior handling on {day} is after the meeting on {meeting}; prior handling must "
                "come first (register a later briefing as its own deliverable)"
            )


def check_reschedule(code: str, current: str, new: str, kind: str) -> None:
    """A postponement goes to a later meeting, bringing forward (fremrykning) to an earlier one."""
    if new == current:
        raise Refused(f"deliverable {code} is already planned for {new}")
    if kind == "postponed" and new < current:
        raise Refused(
            f"{new} is before the planned meeting on {current}: that is bringing the case "
            f"forward, not a postponement (use `portefolje deliverable advance {code}`)"
        )
    if kind == "advanced" and new > current:
        raise Refused(
            f"{new} is after the planned meeting on {current}: that is a postponement "
            f"(use `portefolje deliverable postpone {code}`)"
        )


def parse_prior(text: str) -> tuple[str, str, str | None]:
    """'BUU:2019-01-22' or 'BUU:22/1 2019:drøftelse' -> (committee, ISO date, kind)."""
    from portefolje.domain.dates import parse_day

    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise InvalidValue(
            f"invalid prior handling {text!r}: write COMMITTEE:DATE, e.g. BUU:2019-01-22"
        )
    kind = deliverable_kind(parts[2]) if len(parts) == 3 else None
    return parts[0].strip(), parse_day(parts[1]).isoformat(), kind
