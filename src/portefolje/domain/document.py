"""The whole-database JSON document (export/import) and its JSON Schema.

Records refer to each other by code, never by id, so a document can be written by hand (the
examples are), merged into a database that already holds other portfolios, and read by other
tools. Dates and amounts are validated by the same parsers as the CLI, so "16. januar 2019" and
"4,5 mio. kr." are accepted on import; export always writes ISO dates and integer kroner.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from portefolje.domain.amounts import parse_amount
from portefolje.domain.dates import parse_date
from portefolje.domain.rules import check_code

FORMAT: Literal["portefolje"] = "portefolje"
FORMAT_VERSION: Literal[1] = 1

Code = Annotated[str, BeforeValidator(lambda v: check_code(str(v)))]
Text = Annotated[str, Field(min_length=1)]
Day = Annotated[date, BeforeValidator(lambda v: parse_date(v) if isinstance(v, str) else v)]
Kroner = Annotated[int, BeforeValidator(lambda v: parse_amount(v) if isinstance(v, str) else v)]
Status = Literal["active", "paused", "closed"]
Phase = Literal["forberedelse", "indsigt", "udvikling", "prøvehandling", "implementering"]
Color = Literal["green", "yellow", "red"]
Dimension = Literal["overall", "schedule", "cost", "economic-benefits", "other-benefits"]


class Record(BaseModel):
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


class SegmentDoc(Record):
    """A citizen segment (målgruppe) of a portfolio."""

    code: Code
    name: Text
    portfolio: Code
    category: Literal["familie", "flere-indsatser", "overgang"] | None = None
    track: str | None = None
    population: Annotated[int, Field(ge=0)] | None = None
    annual_cost: Kroner | None = None
    description: str | None = None


class EventDoc(Record):
    """One status or health change of a project, with its effective date and reason."""

    date: Day
    kind: Literal["status", "health"]
    dimension: Dimension | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str
    note: str | None = None


class ProjectDoc(Record):
    """A development project for one segment."""

    code: Code
    title: Text
    segment: Code
    status: Status = "active"
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
    departments: list[Code] = []
    history: list[EventDoc] = []


class Document(Record):
    """Everything in a portefolje database except the journal, which stays with its file."""

    format: Literal["portefolje"] = FORMAT
    version: Literal[1] = FORMAT_VERSION
    departments: list[DepartmentDoc] = []
    committees: list[CommitteeDoc] = []
    portfolios: list[PortfolioDoc] = []
    segments: list[SegmentDoc] = []
    projects: list[ProjectDoc] = []


def describe_errors(error: ValidationError, limit: int = 10) -> str:
    """One readable line from pydantic's errors: 'projects.2.start_date: invalid date …'."""
    parts = []
    for item in error.errors(include_url=False)[:limit]:
        where = ".".join(str(p) for p in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    more = error.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
