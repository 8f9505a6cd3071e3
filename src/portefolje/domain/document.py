"""The whole-database JSON document (export/import) and its JSON Schema.

Records refer to each other by code, never by id, so a document can be written by hand (the
examples are), merged into a database that already holds other portfolios, and read by other
tools. Dates and amounts are validated by the same parsers as the CLI, so "16. januar 2019" and
"4,5 mio. kr." are accepted on import; export always writes ISO dates and integer kroner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from portefolje.domain.amounts import parse_amount
from portefolje.domain.dates import parse_date
from portefolje.domain.rules import check_code
from portefolje.i18n import msg

FORMAT: Literal["portefolje"] = "portefolje"
FORMAT_VERSION: Literal[3] = 3

# A document of scale L holds a million dates and codes, most of them many times over: each
# distinct text is checked once (the checks depend on the text alone; a date like "i dag" or
# "+2w" depends on today and is never kept). The memos are emptied when they grow large.
_MEMO_SIZE = 50_000
_CODES: dict[str, str] = {}
_DAYS: dict[str, date] = {}
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _code(value: Any) -> str:
    if type(value) is str:
        hit = _CODES.get(value)
        if hit is not None:
            return hit
        if len(_CODES) >= _MEMO_SIZE:
            _CODES.clear()
        _CODES[value] = checked = check_code(value)
        return checked
    return check_code(str(value))


def _day(value: Any) -> Any:
    if type(value) is not str:
        return parse_date(value) if isinstance(value, str) else value
    hit = _DAYS.get(value)
    if hit is not None:
        return hit
    day = parse_date(value)
    if _ISO_DAY.fullmatch(value):
        if len(_DAYS) >= _MEMO_SIZE:
            _DAYS.clear()
        _DAYS[value] = day
    return day


Code = Annotated[str, BeforeValidator(_code)]
Text = Annotated[str, Field(min_length=1)]
Day = Annotated[date, BeforeValidator(_day)]
# every amount, string or JSON number, goes through the one parser with its cap
Kroner = Annotated[int, BeforeValidator(parse_amount)]
Status = Literal["proposed", "active", "paused", "closed", "rejected"]
Phase = Literal["forberedelse", "indsigt", "udvikling", "prøvehandling", "implementering"]
Color = Literal["green", "yellow", "red"]
Dimension = Literal["overall", "schedule", "cost", "economic-benefits", "other-benefits"]


class Record(BaseModel):
    """A record of the document. On import, a field left out leaves the stored value as it is;
    a field given (even as null) is the value wanted."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class PortfolioDoc(Record):
    """A programme (udviklingsprogram) with one savings target."""

    code: Code
    name: Text
    owner: str | None = None
    description: str | None = None


class DepartmentDoc(Record):
    """A department (forvaltning/afdeling)."""

    code: Code
    name: Text


class CommitteeDoc(Record):
    """A political committee (udvalg)."""

    code: Code
    name: Text


SegmentStatus = Literal["proposed", "active", "rejected"]


class SegmentEventDoc(Record):
    """A candidate segment's step: proposed (from null), approved (to active, on a decision) or
    rejected (with a reason)."""

    date: Day
    from_: SegmentStatus | None = Field(default=None, alias="from")
    to: SegmentStatus
    note: str | None = None
    decision: Code | None = None


class SegmentDoc(Record):
    """A citizen segment (målgruppe) of a portfolio; a candidate segment has a history from its
    proposal (a segment without one has been active from the beginning)."""

    code: Code
    name: Text
    portfolio: Code
    category: Literal["familie", "flere-indsatser", "overgang"] | None = None
    track: str | None = None
    population: Annotated[int, Field(ge=0)] | None = None
    annual_cost: Kroner | None = None
    description: str | None = None
    status: SegmentStatus | None = None
    history: list[SegmentEventDoc] = []


class EventDoc(Record):
    """One status, phase or health change of a project, with its effective date and reason."""

    date: Day
    kind: Literal["status", "health", "phase"]
    dimension: Dimension | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str
    note: str | None = None
    decision: Code | None = None  # the decision an approval (proposed → active) rests on


Rating = Annotated[int, Field(ge=1, le=5)]


class ScoreDoc(Record):
    """A proposal's score on one of the portfolio's criteria, given on a date (the latest
    counts)."""

    criterion: Code
    date: Day
    score: Rating
    note: str | None = None


class DependencyDoc(Record):
    """What a project waits for: another project (`on`) or an outside initiative (`external`),
    from a date until a date (null: still)."""

    on: Code | None = None
    external: str | None = None
    note: str | None = None
    from_: Day = Field(alias="from")
    to: Day | None = None

    @model_validator(mode="after")
    def _one_target(self) -> DependencyDoc:
        if (self.on is None) == (self.external is None):
            raise ValueError(msg("err.doc_on_or_external"))
        if self.to is not None and self.to <= self.from_:
            raise ValueError(msg("err.doc_dependency_reversed"))
        return self


class ProjectDoc(Record):
    """A development project for one segment."""

    code: Code
    title: Text
    segment: Code
    # the latest status and phase, as their history says; a changed value without a new history
    # event is made by the lifecycle step (and its side effects) on import
    status: Status | None = None
    status_date: Day | None = None
    phase: Phase | None = None
    owner: str | None = None
    leader: str | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    purpose: str | None = None
    case_number: str | None = None
    success_criteria: str | None = None
    risks: str | None = None
    deliverables: str | None = None
    stakeholders: str | None = None
    steering_group: str | None = None
    participants: str | None = None
    reference_group: str | None = None
    benefits: str | None = None
    prerequisites: str | None = None
    departments: list[Code] = []
    decisions: list[Code] = []  # the decisions that concern the project
    history: list[EventDoc] = []
    scores: list[ScoreDoc] = []
    dependencies: list[DependencyDoc] = []


SolutionKind = Literal[
    "procedure",
    "organisation",
    "cooperation-agreement",
    "information",
    "legal-agreement",
    "it",
    "other",
]
SolutionStatus = Literal["idea", "developing", "trial", "implemented", "handed-over", "dropped"]
DeliverableKind = Literal["orientering", "drøftelse", "beslutning"]


class SolutionEventDoc(Record):
    date: Day
    from_: SolutionStatus | None = Field(default=None, alias="from")
    to: SolutionStatus
    note: str | None = None


class SolutionDoc(Record):
    """A solution (løsning) a project produced, with its status history."""

    code: Code
    title: Text
    project: Code
    kind: SolutionKind | None = None
    status: SolutionStatus | None = None
    status_date: Day | None = None
    trial_from: Day | None = None
    trial_to: Day | None = None
    trial_population: str | None = None
    handed_over_to: Code | None = None
    description: str | None = None
    expected_effects: str | None = None
    documented_effects: str | None = None
    history: list[SolutionEventDoc] = []


class MoveDoc(Record):
    moved_on: Day
    from_: Day = Field(alias="from")
    to: Day
    reason: Text


class StateDoc(Record):
    """A change of state of a milestone or deliverable: done/delivered, taken back, cancelled."""

    date: Day
    kind: Literal["done", "undone", "delivered", "undelivered", "cancelled", "reinstated"]
    reason: str | None = None


class MilestoneDoc(Record):
    """A milestone of a project (or of a portfolio), with every move of its due date and every
    change of state."""

    code: Code
    title: Text
    project: Code | None = None
    portfolio: Code | None = None
    due_date: Day
    done_date: Day | None = None
    state: Literal["open", "done", "cancelled"] | None = None
    note: str | None = None
    follow_up: bool = False
    moves: list[MoveDoc] = []
    events: list[StateDoc] = []


class PriorDoc(Record):
    committee: Code
    meeting_date: Day
    kind: DeliverableKind | None = None


class PostponementDoc(Record):
    postponed_on: Day
    from_: Day = Field(alias="from")
    to: Day
    reason: Text
    kind: Literal["postponed", "advanced"] | None = None


class DeliverableDoc(Record):
    """A case for a committee meeting, with prior handling and postponements."""

    code: Code
    title: Text
    committee: Code
    portfolio: Code | None = None
    meeting_date: Day
    kind: DeliverableKind | None = None
    status: Literal["planned", "delivered", "postponed", "cancelled"] | None = None
    delivered_date: Day | None = None
    description: str | None = None
    projects: list[Code] = []
    prior: list[PriorDoc] = []
    postponements: list[PostponementDoc] = []
    events: list[StateDoc] = []


class MeasurementDoc(Record):
    date: Day
    value: float
    note: str | None = None


class IndicatorDoc(Record):
    """An effect indicator (effektmål) with its measurements."""

    code: Code
    name: Text
    project: Code | None = None
    portfolio: Code | None = None
    unit: str | None = None
    baseline: float | None = None
    baseline_date: Day | None = None
    target: float | None = None
    target_date: Day | None = None
    measured_by: str | None = None
    measurements: list[MeasurementDoc] = []


Area = Literal["service", "overforsler", "indsats", "anlaeg"]
Year = Annotated[int, Field(ge=1990, le=2100)]
Stage = Literal["estimated", "documented", "budgeted"]
Percent = Annotated[int, Field(ge=0, le=100)]
Fte = Annotated[float, Field(ge=0)]


class SavingFields(Record):
    project: Code
    solution: Code | None = None
    department: Code | None = None
    area: Area = "service"
    year: Year | None = None
    from_year: Year | None = None
    amount: Kroner
    realised: Kroner | None = None
    stage: Stage = "estimated"
    attribution: Percent = 100
    price_level: Year | None = None
    fte: Fte | None = None
    name: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_year(self) -> SavingFields:
        if (self.year is None) == (self.from_year is None):
            raise ValueError(msg("err.doc_year_xor"))
        return self


class SavingVersionDoc(SavingFields):
    """An earlier version of a saving line's figures, in force from `from` until `to`."""

    from_: Day | None = Field(default=None, alias="from")
    to: Day


class SavingDoc(SavingFields):
    """A savings claim (provenu) for one year or recurring from a year onwards: the estimate
    (amount) and, once documented or budgeted, the realised amount and the share attributable to
    the project. `since` is the day the figures apply from; earlier versions are in `history`;
    `removed` is the day a removed line stopped counting."""

    code: Code
    since: Day | None = None
    removed: Day | None = None
    history: list[SavingVersionDoc] = []


class InvestmentFields(Record):
    project: Code
    department: Code | None = None
    area: Area = "service"
    year: Year
    amount: Kroner
    status: Literal["applied", "granted", "rejected"] = "granted"
    funding: str | None = None
    price_level: Year | None = None
    fte: Fte | None = None
    name: str | None = None
    note: str | None = None


class InvestmentVersionDoc(InvestmentFields):
    from_: Day | None = Field(default=None, alias="from")
    to: Day


class InvestmentDoc(InvestmentFields):
    """An investment (cost) of a project in one year; an application is not a cost until granted."""

    code: Code
    since: Day | None = None
    removed: Day | None = None
    history: list[InvestmentVersionDoc] = []


class ShareDoc(Record):
    department: Code
    numerator: Annotated[int, Field(gt=0)]
    denominator: Annotated[int, Field(gt=0)]


class TargetFields(Record):
    amount: Kroner
    price_level: Year | None = None
    note: str | None = None
    key: list[ShareDoc] = []

    @model_validator(mode="after")
    def _key(self) -> TargetFields:
        from fractions import Fraction

        if self.key and sum(Fraction(s.numerator, s.denominator) for s in self.key) != 1:
            raise ValueError(msg("err.doc_key_sum"))
        return self


class TargetVersionDoc(TargetFields):
    from_: Day | None = Field(default=None, alias="from")
    to: Day


class TargetDoc(TargetFields):
    """A portfolio's savings target for a year or from a year onwards, with its distribution key
    (shares sum to 1); one per portfolio and year."""

    code: Code
    portfolio: Code
    year: Year | None = None
    from_year: Year | None = None
    since: Day | None = None
    removed: Day | None = None
    history: list[TargetVersionDoc] = []

    @model_validator(mode="after")
    def _valid(self) -> TargetDoc:
        if (self.year is None) == (self.from_year is None):
            raise ValueError(msg("err.doc_year_xor"))
        return self


class CoverageFields(Record):
    department: Code | None = None
    kind: Literal["frame-cut", "one-off", "budget-transfer"]
    year: Year | None = None
    from_year: Year | None = None
    amount: Kroner
    price_level: Year | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_year(self) -> CoverageFields:
        if (self.year is None) == (self.from_year is None):
            raise ValueError(msg("err.doc_year_xor"))
        if self.kind == "one-off" and self.year is None:
            raise ValueError(msg("err.doc_one_off"))
        return self


class CoverageVersionDoc(CoverageFields):
    from_: Day | None = Field(default=None, alias="from")
    to: Day


class CoverageDoc(CoverageFields):
    """Coverage of a portfolio's target that is no project's saving: a frame cut
    (rammebesparelse), one-off money (engangsmidler) or a budget transfer (budgetomplacering)."""

    code: Code
    portfolio: Code
    since: Day | None = None
    removed: Day | None = None
    history: list[CoverageVersionDoc] = []


class CriterionDoc(Record):
    """A scoring criterion of a portfolio's pipeline, with its weight."""

    code: Code
    name: Text
    portfolio: Code
    weight: Annotated[int, Field(ge=1, le=100)]
    description: str | None = None


class MeetingDoc(Record):
    """A meeting of a steering body or committee (`body`, a committee code)."""

    code: Code
    body: Code
    portfolio: Code | None = None
    date: Day
    title: str | None = None


class DecisionDoc(Record):
    """A decision (beslutning) taken at a meeting; the projects it concerns list it."""

    code: Code
    text: Text
    meeting: Code


class AssessmentDoc(Record):
    date: Day
    probability: Rating
    consequence: Rating
    note: str | None = None


class RiskEventDoc(Record):
    date: Day
    kind: Literal["closed", "reopened"]
    reason: Text


class RiskDoc(Record):
    """A risk of a project or a portfolio with every assessment (probability × consequence,
    1-5 each); the first assessment is the day it was identified. probability, consequence,
    score and state are the latest, for readers; a changed probability or consequence without a
    new assessment is assessed on import."""

    code: Code
    title: Text
    project: Code | None = None
    portfolio: Code | None = None
    owner: str | None = None
    response: str | None = None
    description: str | None = None
    probability: Rating | None = None
    consequence: Rating | None = None
    score: Annotated[int, Field(ge=1, le=25)] | None = None
    state: Literal["open", "closed"] | None = None
    closed_date: Day | None = None
    assessments: list[AssessmentDoc] = []
    events: list[RiskEventDoc] = []

    @model_validator(mode="after")
    def _score(self) -> RiskDoc:
        if (
            self.score is not None
            and self.probability is not None
            and self.consequence is not None
            and self.score != self.probability * self.consequence
        ):
            raise ValueError(msg("err.doc_score"))
        return self


class ActionEventDoc(Record):
    date: Day
    kind: Literal["done", "undone"]
    reason: str | None = None


class ActionDoc(Record):
    """An action (handling) owned by a role, due on a date, from a decision or for a project or
    portfolio; `opened` is the day it was asked for (default: the decision's meeting)."""

    code: Code
    title: Text
    owner: Text
    opened: Day | None = None
    due_date: Day
    decision: Code | None = None
    project: Code | None = None
    portfolio: Code | None = None
    note: str | None = None
    state: Literal["open", "done"] | None = None
    done_date: Day | None = None
    events: list[ActionEventDoc] = []


class IndexDoc(Record):
    """One year of the price and wage index."""

    code: Code
    year: Year
    value: Annotated[float, Field(gt=0)]


class Document(Record):
    """Everything in a portefolje database except the journal and the published reports, which
    stay with their file."""

    format: Literal["portefolje"] = FORMAT
    version: Literal[1, 2, 3] = FORMAT_VERSION
    departments: list[DepartmentDoc] = []
    committees: list[CommitteeDoc] = []
    portfolios: list[PortfolioDoc] = []
    criteria: list[CriterionDoc] = []
    meetings: list[MeetingDoc] = []
    decisions: list[DecisionDoc] = []
    segments: list[SegmentDoc] = []
    projects: list[ProjectDoc] = []
    solutions: list[SolutionDoc] = []
    milestones: list[MilestoneDoc] = []
    deliverables: list[DeliverableDoc] = []
    indicators: list[IndicatorDoc] = []
    risks: list[RiskDoc] = []
    actions: list[ActionDoc] = []
    price_index: list[IndexDoc] = []
    targets: list[TargetDoc] = []
    coverage: list[CoverageDoc] = []
    savings: list[SavingDoc] = []
    investments: list[InvestmentDoc] = []


def describe_errors(error: ValidationError, limit: int = 10) -> str:
    """One readable line from pydantic's errors: 'projects.2.start_date: invalid date …'."""
    return _describe(error.errors(include_url=False)[:limit], error.error_count(), limit)


def _describe(items: list[Any], count: int, limit: int = 10) -> str:
    parts = []
    for item in items[:limit]:
        where = ".".join(str(p) for p in item["loc"])
        message = _pydantic_message(item)
        parts.append(f"{where}: {message}" if where else message)
    more = count - limit
    return "; ".join(parts) + (msg("err.doc_and_more", n=more) if more > 0 else "")


# pydantic's own messages are English; the common kinds in the person's language
_PYDANTIC = {
    "missing": "err.doc_missing",
    "extra_forbidden": "err.doc_extra",
    "int_parsing": "err.doc_int",
    "int_type": "err.doc_int",
    "int_from_float": "err.doc_int",
    "float_parsing": "err.doc_number",
    "float_type": "err.doc_number",
    "string_type": "err.doc_text",
    "bool_type": "err.doc_bool",
    "bool_parsing": "err.doc_bool",
    "list_type": "err.doc_list",
    "dict_type": "err.doc_object",
    "model_type": "err.doc_object",
}


def _pydantic_message(item: Any) -> str:
    key = _PYDANTIC.get(str(item.get("type")))
    if key is not None:
        return msg(key)
    return str(item["msg"]).removeprefix("Value error, ")


# -- reading a document record by record ------------------------------------------------------

# the top-level keys in the order Document validates them (and export writes them)
FIELDS: tuple[str, ...] = tuple(info.alias or name for name, info in Document.model_fields.items())
KINDS: tuple[str, ...] = FIELDS[2:]
RECORD: dict[str, type[Record]] = {
    key: get_args(Document.model_fields[key].annotation)[0] for key in KINDS
}
# a record's field names as the document spells them ("from" for from_)
_ALIASES: dict[type[Record], dict[str, str]] = {
    model: {name: info.alias or name for name, info in model.model_fields.items()}
    for model in RECORD.values()
}

# (position in its list, the record as JSON data with every field, the fields the file gave)
Entry = tuple[int, dict[str, Any], set[str]]


class Invalid:
    """The validation errors of a document checked record by record, listed as
    `Document.model_validate` of the whole would list them: in the order of the document's
    fields and records, each at its full path, the first `limit` and the count."""

    def __init__(self, limit: int = 10):
        self.limit = limit
        self.count = 0
        self.items: list[dict[str, Any]] = []

    def add(self, where: tuple[str | int, ...], error: ValidationError) -> None:
        self.count += error.error_count()
        if len(self.items) < self.limit:
            for item in error.errors(include_url=False)[: self.limit - len(self.items)]:
                self.items.append({**item, "loc": (*where, *item["loc"])})

    def describe(self) -> str:
        return _describe(self.items, self.count, self.limit)


def validated(
    kinds: Iterable[tuple[str, Iterable[Any]]], invalid: Invalid
) -> Iterator[tuple[str, Iterator[Entry]]]:
    """Each kind's records validated one at a time (the same models as Document); a record
    that fails is counted in `invalid` and left out."""
    for key, raws in kinds:
        yield key, _validated(key, raws, invalid)


def _validated(key: str, raws: Iterable[Any], invalid: Invalid) -> Iterator[Entry]:
    model = RECORD[key]
    aliases = _ALIASES[model]
    for index, raw in enumerate(raws):
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            invalid.add((key, index), exc)
            continue
        given = {aliases[f] for f in record.model_fields_set}
        given.add("code")
        yield index, record.model_dump(mode="json", by_alias=True), given


def entries(document: Document) -> Iterator[tuple[str, Iterator[Entry]]]:
    """A document already validated whole (the demo's example), as `validated` gives it."""
    for key in KINDS:
        records = getattr(document, key)
        if records:
            yield key, _entries(records)


def _entries(records: list[Record]) -> Iterator[Entry]:
    for index, record in enumerate(records):
        aliases = _ALIASES[type(record)]
        given = {aliases[f] for f in record.model_fields_set}
        given.add("code")
        yield index, record.model_dump(mode="json", by_alias=True), given


def stream(pieces: Iterator[str]) -> Iterator[tuple[str, Iterator[Any]]]:
    """The kinds of a document whose text comes in `pieces`, one record at a time, in
    Document's order.
    Reads up to the first kind at once: a file that is not an object in the plain shape, or
    whose format and version are not valid, raises jsonstream.Unusual here (read it whole)."""
    from portefolje.domain.jsonstream import Unusual, top_level

    pairs = top_level(pieces, FIELDS, frozenset(KINDS))
    header: dict[str, Any] = {}
    first = None
    for key, value in pairs:
        if key in RECORD:
            first = (key, value)
            break
        header[key] = value
    try:
        Document.model_validate(header)
    except ValidationError:
        raise Unusual from None

    def kinds() -> Iterator[tuple[str, Iterator[Any]]]:
        if first is not None:
            yield first
            yield from pairs

    return kinds()


def whole(raw: Any) -> Iterator[tuple[str, Iterator[Any]]]:
    """The kinds of a document read whole (by json.loads). One that is not in the plain shape
    (not an object, an unknown key, a kind that is no list, a bad format or version) is
    validated whole, so its refusal lists every error exactly as before."""
    plain = (
        isinstance(raw, dict)
        and set(raw) <= set(FIELDS)
        and all(isinstance(raw[k], list) for k in KINDS if k in raw)
    )
    if plain:
        try:
            Document.model_validate({k: raw[k] for k in FIELDS[:2] if k in raw})
        except ValidationError:
            plain = False
    if not plain:
        return entries_of_raw(Document.model_validate(raw))
    return ((k, iter(raw[k])) for k in KINDS if k in raw)


def entries_of_raw(document: Document) -> Iterator[tuple[str, Iterator[Any]]]:
    """A document that validated whole despite its shape: its records as plain data."""
    for key in KINDS:
        records = getattr(document, key)
        if records:
            yield key, (r.model_dump(by_alias=True, exclude_unset=True) for r in records)
