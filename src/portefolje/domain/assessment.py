"""The status report's overall assessment (samlet vurdering): one rule, stated once.

Red when an active project's overall health is red, or documented, budgeted, covered and
estimated savings together cover less than half of the period's target. Yellow when an active
project is yellow, a milestone is overdue, a deliverable stands postponed or a meeting passed
without a registered delivery, or documented, budgeted and covered savings fall short of the
target. Otherwise green.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Signals:
    red_projects: int
    yellow_projects: int
    overdue_milestones: int
    postponed_deliverables: int
    missed_meetings: int
    target: int | None  # the period's target; None when none is registered
    secured: int  # documented + budgeted (attributable) + coverage
    estimated: int


def coverage(signals: Signals) -> tuple[Fraction | None, Fraction | None]:
    """(secured ÷ target, (secured + estimated) ÷ target), or None without a positive target."""
    if not signals.target or signals.target <= 0:
        return None, None
    return (
        Fraction(signals.secured, signals.target),
        Fraction(signals.secured + signals.estimated, signals.target),
    )


def assess(signals: Signals) -> str:
    """'red', 'yellow' or 'green' by the rule in this module's docstring."""
    secured, with_estimated = coverage(signals)
    if signals.red_projects or (with_estimated is not None and with_estimated < Fraction(1, 2)):
        return "red"
    if (
        signals.yellow_projects
        or signals.overdue_milestones
        or signals.postponed_deliverables
        or signals.missed_meetings
        or (secured is not None and secured < 1)
    ):
        return "yellow"
    return "green"
