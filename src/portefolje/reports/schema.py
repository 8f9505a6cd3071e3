"""The JSON shape of `report status --format json`, as pydantic models.

`portefolje schema report-status` prints its JSON Schema; a test validates real output against
these models, so the documented shape and the produced shape cannot drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

Color = Literal["green", "yellow", "red"]


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YearSavings(Shape):
    year: int
    target: int | None
    estimated: int
    documented: int
    budgeted: int
    gap: int | None
    gap_with_estimated: int | None


class Savings(Shape):
    target: int
    estimated: int
    documented: int
    budgeted: int
    gap: int | None
    gap_with_estimated: int | None
    per_year: list[YearSavings]


class Period(Shape):
    from_year: int
    to_year: int


class Overview(Shape):
    assessment: Color
    assessment_text: str
    projects_by_status: dict[Literal["active", "paused", "closed"], int]
    budget_period: Period
    savings: Savings


class ProjectLine(Shape):
    segment_code: str
    segment: str
    code: str
    title: str
    status_code: Literal["active", "paused", "closed"]
    phase: str | None
    health: Color | None
    health_comment: str | None
    solutions_by_status: dict[str, int]
    next_milestone_title: str | None
    next_milestone_due: date | None
    overdue: int
    savings_estimated: int
    savings_documented: int


class OverdueMilestone(Shape):
    project: str
    code: str
    title: str
    due_date: date
    days: int


class Prior(Shape):
    committee: str
    committee_name: str
    meeting_date: date
    kind: str | None


class Meeting(Shape):
    code: str
    committee: str
    meeting_date: date
    title: str
    kind: str | None
    status: Literal["planned", "delivered", "postponed"]
    prior: list[Prior]
    projects: list[str]


class Postponed(Shape):
    code: str
    committee: str
    title: str
    meeting_date: date
    original_meeting_date: date
    reason: str


class Change(Shape):
    date: date
    project: str
    change: str
    kind: str


class PausedOrClosed(Shape):
    code: str
    title: str
    status: str
    date: date | None
    reason: str


class StatusReport(Shape):
    """The status report for the directors' forum, as data."""

    report: Literal["status"]
    portfolio: str | None
    as_of: date
    since: date
    lang: Literal["da", "en"]
    overview: Overview
    projects: list[ProjectLine]
    overdue_milestones: list[OverdueMilestone]
    calendar: list[Meeting]
    postponed: list[Postponed]
    changes: list[Change]
    paused_and_closed: list[PausedOrClosed]
