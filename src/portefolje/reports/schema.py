"""The JSON shapes of `report status`, `report savings` and `report consolidated` with
`--format json`, as pydantic models.

`portefolje schema report-status` prints the status report's JSON Schema; tests validate real
output against these models, so the documented shape and the produced shape cannot drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

Color = Literal["green", "yellow", "red"]


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YearFigures(Shape):
    year: int
    target: int | None
    estimated: int
    documented: int
    budgeted: int
    coverage: int
    not_attributable: int


class YearSavings(YearFigures):
    gap: int | None
    gap_with_estimated: int | None
    investment: int
    applied: int
    net: int


class Savings(Shape):
    """Sums over the budget period. documented and budgeted count what is attributable to the
    projects; coverage is frame cuts, one-off money and budget transfers; secured is their sum;
    investment is granted investments (applied: applications not yet granted)."""

    target: int
    estimated: int
    documented: int
    budgeted: int
    coverage: int
    not_attributable: int
    secured: int
    investment: int
    applied: int
    net: int
    realised: int
    gap: int | None
    gap_with_estimated: int | None
    realisation_rate: float | None
    per_year: list[YearSavings]


class Period(Shape):
    from_year: int
    to_year: int


class Health(Shape):
    green: int
    yellow: int
    red: int


class Headline(Shape):
    """The figures the trend follows from one published report to the next."""

    coverage_pct: float | None
    gap: int | None
    health: Health
    overdue_milestones: int


class Overview(Shape):
    assessment: Color
    assessment_text: str
    projects_by_status: dict[Literal["active", "paused", "closed"], int]
    budget_period: Period
    price_level: int | None
    savings: Savings
    headline: Headline


class TrendPoint(Shape):
    as_of: date
    coverage_pct: float | None
    gap: int | None
    green: int
    yellow: int
    red: int
    overdue_milestones: int


class ProjectLine(Shape):
    segment_code: str
    segment: str
    code: str
    title: str
    status_code: Literal["proposed", "active", "paused", "closed", "rejected"]
    phase: str | None
    health: Color | None
    health_comment: str | None
    solutions_by_status: dict[str, int]
    next_milestone_title: str | None
    next_milestone_due: date | None
    overdue: int
    savings_estimated: int
    savings_documented: int
    savings_budgeted: int


class OverdueMilestone(Shape):
    project: str
    code: str
    title: str
    due_date: date
    original_due_date: date
    days: int


class Indicator(Shape):
    code: str
    name: str
    project: str | None
    portfolio: str | None
    unit: str | None
    baseline: float | None
    target: float | None
    target_date: date | None
    latest: float | None
    latest_date: date | None
    achievement_pct: float | None
    trend: Literal["improving", "worsening", "flat"] | None


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
    status: Literal["planned", "delivered", "postponed", "cancelled"]
    prior: list[Prior]
    projects: list[str]


class Postponed(Shape):
    code: str
    committee: str
    title: str
    meeting_date: date
    original_meeting_date: date
    times_postponed: int
    reason: str


class Missed(Shape):
    """A meeting that passed without a registered delivery."""

    code: str
    committee: str
    title: str
    meeting_date: date
    days: int


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
    waits_for: list[str]  # a paused project's dependencies on the day: 'P3 Title' or a name


Level = Literal["low", "medium", "high"]


class TopRisk(Shape):
    code: str
    title: str
    project: str | None
    portfolio: str | None
    probability: int
    consequence: int
    score: int
    level: Level
    first_score: int | None  # the first assessment's score: before the response
    assessed: date
    owner: str | None
    response: str | None


class RiskChange(Shape):
    date: date
    code: str
    title: str
    project: str
    change: str
    kind: Literal["assessment", "closed", "reopened"]


class Risks(Shape):
    """Open risks on the day: the largest by score, the 5×5 matrix of every open risk's latest
    assessment (rows: probability 5 down to 1; columns: consequence 1 to 5; each cell the risk
    codes), and the assessments, closings and reopenings since the last report."""

    open: int
    top: list[TopRisk]
    matrix: list[list[list[str]]]
    changes: list[RiskChange]


class Decision(Shape):
    code: str
    date: date
    body: str
    body_name: str
    meeting: str
    text: str
    projects: list[str]


class Action(Shape):
    """An action open on the day; overdue ones first."""

    code: str
    title: str
    owner: str
    opened: date
    due_date: date
    overdue: bool
    days_over: int | None
    decision: str | None
    project: str | None
    portfolio: str | None


class CriterionScore(Shape):
    criterion: str
    name: str
    weight: int
    score: int | None
    date: date | None


class Proposal(Shape):
    rank: int
    code: str
    title: str
    segment: str
    status_date: date | None
    weighted_score: float | None  # Σ weight × score ÷ Σ weight, unscored criteria count 0
    criteria_scored: int
    criteria_total: int
    scores: list[CriterionScore]


class CandidateSegment(Shape):
    code: str
    name: str
    portfolio: str
    population: int | None
    status_date: date | None


class Criterion(Shape):
    code: str
    portfolio: str
    name: str
    weight: int


class Pipeline(Shape):
    """Proposals awaiting a decision on the day, ranked by weighted score."""

    projects: list[Proposal]
    segments: list[CandidateSegment]
    criteria: list[Criterion]


class More(Shape):
    """How many items each capped list leaves out (a large portfolio's report stays a page:
    the projects that need attention most, the 50 most overdue milestones …)."""

    projects: int
    overdue_milestones: int
    postponed: int
    missed_meetings: int
    indicators: int
    actions: int
    paused_and_closed: int
    risk_changes: int
    decisions: int


class StatusReport(Shape):
    """The status report for the directors' forum, as data."""

    report: Literal["status"]
    portfolio: str | None
    as_of: date
    since: date
    lang: Literal["da", "en"]
    overview: Overview
    trend: list[TrendPoint]
    projects: list[ProjectLine]
    overdue_milestones: list[OverdueMilestone]
    indicators: list[Indicator]
    risks: Risks
    decisions: list[Decision]
    actions: list[Action]
    pipeline: Pipeline
    calendar: list[Meeting]
    postponed: list[Postponed]
    missed_meetings: list[Missed]
    changes: list[Change]
    paused_and_closed: list[PausedOrClosed]
    more: More


# -- report consolidated -------------------------------------------------------------------------


class SourceFile(Shape):
    """A database file the consolidated report read: where each figure comes from."""

    source: str  # K1, K2 … in the order given
    path: str
    schema_version: int
    journal_rows: int
    journal_head: str
    last_change: str | None
    portfolios: list[str]


class PortfolioHeadline(Shape):
    """One portfolio's headline figures (money over the budget period, in its price level)."""

    source: str
    portfolio: str
    name: str
    price_level: int | None
    active: int
    paused: int
    closed: int
    green: int
    yellow: int
    red: int
    target: int | None
    estimated: int
    documented: int
    budgeted: int
    coverage: int
    gap: int | None
    overdue_milestones: int


class HeadlineTotals(Shape):
    """Counts add up; money is None where price levels differ; gap adds shortfalls only."""

    active: int
    paused: int
    closed: int
    green: int
    yellow: int
    red: int
    overdue_milestones: int
    target: int | None
    estimated: int | None
    documented: int | None
    budgeted: int | None
    coverage: int | None
    gap: int | None


class SourceMeeting(Meeting):
    source: str


class PortfolioReport(Shape):
    source: str
    portfolio: str
    report: StatusReport


class ConsolidatedReport(Shape):
    """`report consolidated --format json`: several files' portfolios side by side."""

    report: Literal["consolidated"]
    as_of: date
    lang: Literal["da", "en"]
    price_level: int | None
    sources: list[SourceFile]
    headline: list[PortfolioHeadline]
    totals: HeadlineTotals
    calendar: list[SourceMeeting]
    portfolios: list[PortfolioReport]


# -- report savings ------------------------------------------------------------------------------

Area = Literal["service", "overforsler", "indsats", "anlaeg"]


class SavingsMeasures(YearFigures):
    """One year's figures (of the whole selection, or of one department): documented and
    budgeted count the attributable part; realised and realised_estimate are the realised amount
    and the estimate of the documented and budgeted lines; secured = documented + budgeted +
    coverage. target, gap and gap_with_estimated are None where no target is set."""

    realised: int
    realised_estimate: int
    secured: int
    gap: int | None
    gap_with_estimated: int | None


class SavingsYear(SavingsMeasures):
    """A year of the period over every line: with granted investments (applied: applications
    not yet granted), the net effect (documented + budgeted − investment) and the realisation
    rate in per cent (None without an estimate)."""

    investment: int
    applied: int
    net: int
    realisation_rate: float | None


class SavingsDepartment(SavingsMeasures):
    """A department's year, its target being its share by the distribution key."""

    department: str  # the department's code, or "Ikke fordelt" / "Unallocated"


class SavingsArea(Shape):
    area: Area
    year: int
    estimated: int
    documented: int
    budgeted: int


class ProjectYear(Shape):
    year: int
    investment: int
    effect_service: int
    effect_total: int
    net: int
    cumulative_net: int


class AreaInvestment(Shape):
    area: Area
    year: int
    amount: int


class SavingsProject(Shape):
    """A project's granted investments and effects per year of the period, and its payback in
    years (None: no investment, or no payback within the horizon): against service effects,
    against the total economy, and service investments against service effects; follow_up_pct
    is the realised effect to date in per cent of the investment."""

    code: str
    title: str
    years: list[ProjectYear]
    investments_by_area: list[AreaInvestment]
    applied: int
    payback_service_years: float | None
    payback_total_years: float | None
    payback_service_area_years: float | None
    follow_up_pct: float | None


class SavingsReport(Shape):
    """`report savings --format json`. totals, departments and areas count every line; projects
    lists every project with economy, in code order, unless there are more than 200: then the
    200 with the most money at stake (granted investment in the period, then effect), and
    projects_total and projects_not_shown say how many there are and how many are left out
    (both absent when every project is listed, as with --all-projects)."""

    report: Literal["savings"]
    portfolio: str | None
    as_of: date
    from_year: int
    years: int
    price_level: int | None
    payback_horizon_years: int
    totals: list[SavingsYear]
    departments: list[SavingsDepartment]
    areas: list[SavingsArea]
    projects: list[SavingsProject]
    projects_total: int | None = None
    projects_not_shown: int | None = None
