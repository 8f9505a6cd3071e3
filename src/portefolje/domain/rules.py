"""Vocabularies and rules of the register: statuses, phases, health, codes, transitions."""

from __future__ import annotations

import re

from portefolje.domain.errors import InvalidValue, Refused
from portefolje.i18n import label, msg

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
        raise Refused(msg("err.history_start", code=code, status=word(first)))
    for (day_a, a), (day_b, b) in zip(steps, steps[1:], strict=False):
        check_event_date(day_b, day_a, msg("what.status_change"))
        if not any(b == to and a in starts for starts, to in TRANSITIONS.values()):
            raise Refused(msg("err.history_step", code=code, a=word(a), b=word(b), date=day_b))


def verb_between(current: str, wanted: str) -> str | None:
    """The verb that takes a project from `current` to `wanted` in one step, if any."""
    for verb, (starts, to) in TRANSITIONS.items():
        if to == wanted and current in starts:
            return verb
    return None


def check_event_date(on: str, last: str | None, what: str) -> None:
    """Events of one kind come in date order: a new one cannot be dated before the last.
    `what` names the kind of event in the person's language (msg("what.status_change"))."""
    if last is not None and on < last:
        raise Refused(msg("err.date_backwards", date=on, what=what, last=last))


def check_not_before(on: str, first: str, what: str) -> None:
    """`what` names the record, already in the person's language ("projekt P1")."""
    if on < first:
        raise Refused(msg("err.date_before_created", date=on, what=what, first=first))


_CODE = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå._-]{0,19}")


def transition(code: str, current: str, verb: str) -> str:
    """The status `verb` leads to from `current`, or Refused saying why not."""
    allowed, target = TRANSITIONS[verb]
    if current not in allowed:
        hint = (
            msg("err.reopen_first", code=code) if (current == "closed" and verb != "close") else ""
        )
        how = (
            msg("err.already_closed")
            if verb == "close" and current == "closed"
            else msg(f"err.only_{verb}")
        )
        raise Refused(msg("err.transition", code=code, status=word(current), how=how, hint=hint))
    return target


def word(stored: str) -> str:
    """A stored vocabulary word in the person's language ('closed' → 'afsluttet')."""
    text = label(f"val.{stored}")
    return stored if text == f"val.{stored}" else text


def check_code(code: str) -> str:
    """A human code: 1-20 letters, digits, '.', '_' or '-', starting with a letter or digit and
    not all digits (a number is read as an id)."""
    code = code.strip()
    if not _CODE.fullmatch(code) or code.isdigit():
        raise InvalidValue(msg("err.invalid_code", code=code))
    return code


def choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """`value` lower-cased if it is one of `allowed`, or the Danish word for one ('grøn' for
    green, as tables show it); None passes through. `what` is a catalogue key ("what.phase")."""
    if value is None:
        return None
    normal = value.strip().lower()
    aliases = {"provehandling": "prøvehandling", "prøve": "prøvehandling"}
    normal = aliases.get(normal, normal)
    if normal not in allowed:
        danish = {label(f"val.{w}", "da").lower(): w for w in allowed}
        if normal in danish:
            return danish[normal]
        raise InvalidValue(
            msg("err.choice", what=msg(what), value=value, choices=_choices(allowed))
        )
    return allowed[allowed.index(normal)]


def _choices(allowed: tuple[str, ...]) -> str:
    """'green, yellow, red' in English; 'green (grøn), yellow (gul), red (rød)' in Danish, where
    the Danish word (also accepted) differs."""
    shown = []
    for w in allowed:
        other = word(w)
        shown.append(w if other == w else msg("err.choice_word", word=w, translated=other))
    return ", ".join(shown)


def require_text(value: str | None, what: str) -> str:
    """`value` stripped, or refused when empty; `what` is a catalogue key ("what.title")."""
    if value is None or not value.strip():
        raise InvalidValue(msg("err.required", what=msg(what)))
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
        raise Refused(msg("err.solution_already", code=code, status=word(current)))
    if current in SOLUTION_FINAL:
        raise Refused(msg("err.solution_final", code=code, status=word(current)))
    if (
        target != "dropped"
        and _SOLUTION_STAGE[target] < _SOLUTION_STAGE[current]
        and not (note and note.strip())
    ):
        raise Refused(msg("err.solution_back", code=code, a=word(current), b=word(target)))


# -- committee deliverables (leverancer) ---------------------------------------------------------

DELIVERABLE_KINDS = ("orientering", "drøftelse", "beslutning")
_KIND_ALIASES = {"droftelse": "drøftelse", "drofelse": "drøftelse"}


def deliverable_kind(value: str | None) -> str | None:
    if value is None:
        return None
    return choice(_KIND_ALIASES.get(value.strip().lower(), value), DELIVERABLE_KINDS, "what.kind")


def check_prior_dates(meeting: str, priors: list[str], *, moving: bool = False) -> None:
    """Prior handling (forbehandling) happens before the meeting, never after it."""
    for day in priors:
        if day > meeting:
            if moving:
                raise Refused(msg("err.prior_after_moved", date=day, meeting=meeting))
            raise InvalidValue(msg("err.prior_after", date=day, meeting=meeting))


def check_reschedule(code: str, current: str, new: str, kind: str) -> None:
    """A postponement goes to a later meeting, bringing forward (fremrykning) to an earlier one."""
    if new == current:
        raise Refused(msg("err.deliverable_same_date", code=code, date=new))
    if kind == "postponed" and new < current:
        raise Refused(msg("err.postpone_earlier", code=code, date=new, current=current))
    if kind == "advanced" and new > current:
        raise Refused(msg("err.advance_later", code=code, date=new, current=current))


def parse_prior(text: str) -> tuple[str, str, str | None]:
    """'BUU:2019-01-22' or 'BUU:22/1 2019:drøftelse' -> (committee, ISO date, kind)."""
    from portefolje.domain.dates import parse_day

    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise InvalidValue(msg("err.invalid_prior", text=text))
    kind = deliverable_kind(parts[2]) if len(parts) == 3 else None
    return parts[0].strip(), parse_day(parts[1]).isoformat(), kind
