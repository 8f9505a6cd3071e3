"""Rules of the governance records: risk scores and levels, the states of a risk and an action,
candidate segments, and the weighted score that ranks the pipeline. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable

from portefolje.domain.errors import InvalidValue, Refused
from portefolje.i18n import label, msg

SCALE = (1, 2, 3, 4, 5)

# A 5×5 matrix in three bands, as municipal risk templates draw it: the products 1-6 are low,
# 8-12 medium, 15-25 high (7, 11, 13 and 14 cannot occur).
HIGH_FROM = 15
MEDIUM_FROM = 8


def on_scale(value: int | None, what: str) -> int:
    """A 1-5 rating (probability, consequence, a criterion score); `what` is a catalogue key."""
    if value is None or value not in SCALE:
        raise InvalidValue(msg("err.on_scale", what=msg(what), value=value))
    return value


def score(probability: int, consequence: int) -> int:
    """The risk score: probability × consequence (1-25)."""
    return probability * consequence


def level(value: int) -> str:
    """'high', 'medium' or 'low' for a score."""
    if value >= HIGH_FROM:
        return "high"
    return "medium" if value >= MEDIUM_FROM else "low"


# what each change of state may follow: (states it may come from, state it leads to)
States = dict[str, tuple[tuple[str, ...], str]]
RISK_STATES: States = {
    "closed": (("open",), "closed"),
    "reopened": (("closed",), "open"),
}
ACTION_STATES: States = {
    "done": (("open",), "done"),
    "undone": (("done",), "open"),
}
# the events whose reason is required
RISK_REASONS = ("closed", "reopened")
ACTION_REASONS = ("undone",)


def state_after(code: str, what: str, table: States, current: str, kind: str) -> str:
    """The state a change leads to from `current`, or Refused saying why not."""
    record = msg("what.record", kind=msg(f"kind.{what}"), code=code)
    if kind not in table:
        raise Refused(msg("err.doc_not_a_state_change", what=record, event=kind))
    starts, leads_to = table[kind]
    if current not in starts:
        raise Refused(
            msg(
                "err.state_cannot",
                what=record,
                state=_word(current, what),
                event=msg(f"event.{kind}"),
            )
        )
    return leads_to


def _word(stored: str, kind: str) -> str:
    """A state in the person's language, as the record's kind words it ('closed' is 'lukket'
    for a risk)."""
    for key in (f"val.{kind}.{stored}", f"val.{stored}"):
        text = label(key)
        if text != key:
            return text
    return stored


# -- candidate segments -------------------------------------------------------------------------

SEGMENT_STATUSES = ("proposed", "active", "rejected")
SEGMENT_STEPS = {
    "approve": (("proposed",), "active"),
    "reject": (("proposed",), "rejected"),
}


def segment_transition(code: str, current: str, verb: str) -> str:
    starts, leads_to = SEGMENT_STEPS[verb]
    if current not in starts:
        raise Refused(msg(f"err.segment_only_{verb}", code=code, status=_word(current, "segment")))
    return leads_to


def segment_lifecycle(code: str, steps: list[tuple[str, str | None, str]]) -> None:
    """A candidate segment's whole history [(date, from, to)], oldest first: proposed first,
    then at most one approval or rejection, dates in order."""
    if not steps:
        return
    if steps[0][1] is not None or steps[0][2] != "proposed":
        raise Refused(msg("err.doc_segment_start", code=code))
    for (day_a, _, a), (day_b, frm, b) in zip(steps, steps[1:], strict=False):
        if day_b < day_a:
            raise Refused(msg("err.doc_segment_order", code=code, b=day_b, a=day_a))
        if frm != a or not any(b == to and a in s for s, to in SEGMENT_STEPS.values()):
            raise Refused(
                msg(
                    "err.segment_step",
                    code=code,
                    a=_word(a, "segment"),
                    b=_word(b, "segment"),
                    date=day_b,
                )
            )


# -- the pipeline: a weighted score over the portfolio's criteria --------------------------------


def weighted(scores: Iterable[tuple[int, int | None]]) -> float | None:
    """Σ weight × score ÷ Σ weight over every criterion (weight, score or None), on the 1-5 scale
    with one decimal. A criterion not yet scored counts as 0, so an incomplete scoring never
    ranks above a complete one with the same scores. None without criteria."""
    pairs = list(scores)
    total = sum(weight for weight, _ in pairs)
    if not total:
        return None
    return round(sum(weight * (s or 0) for weight, s in pairs) / total, 2)


def check_weight(value: int | None) -> int:
    if value is None or not 1 <= value <= 100:
        raise InvalidValue(msg("err.weight_range", value=value))
    return value
