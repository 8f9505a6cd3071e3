"""What each sheet column means: canonical fields per kind, their Danish and English headers
(case-insensitive), and how a cell becomes a value — through the same parsers as the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from portefolje.domain import economics, rules
from portefolje.domain.amounts import parse_amount
from portefolje.domain.dates import parse_date, parse_day, parse_deadline, parse_year
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import column_name, msg


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _date(value: Any) -> str | None:
    """A start or an effective date: a month means its first day."""
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    return parse_date(text).isoformat() if text else None


def _deadline(value: Any) -> str | None:
    """A due date or an end: a month means its last day ("juni 2020" is 30 June 2020)."""
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    return parse_deadline(text).isoformat() if text else None


def _day(value: Any) -> str | None:
    """A meeting: a day, never a month or a quarter."""
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    return parse_day(text).isoformat() if text else None


def _year(value: Any) -> int | None:
    if isinstance(value, int) and 1990 <= value <= 2100:
        return value
    text = _text(value)
    return parse_year(text) if text else None


def _amount(value: Any) -> int | None:
    """A cell's amount, through the one parser (with its cap) whatever the cell holds."""
    if isinstance(value, int | float):
        return parse_amount(value)
    text = _text(value)
    return parse_amount(text) if text else None


def _fte(value: Any) -> float | None:
    text = _text(value)
    return economics.parse_fte(text) if text else None


def _percent(value: Any) -> int | None:
    if isinstance(value, float) and 0 <= value <= 1 and not value.is_integer():
        value = round(value * 100, 6)  # Excel's 60 % is the number 0,6
    text = _text(value)
    return economics.parse_percent(text) if text else None


def _investment_status(value: Any) -> str | None:
    text = _text(value)
    return economics.investment_status(text) if text else None


def _list(value: Any) -> list[str]:
    text = _text(value)
    return [p.strip() for p in re.split(r"[;,]", text) if p.strip()] if text else []


def _choice(
    allowed: tuple[str, ...], aliases: dict[str, str], what: str
) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        text = _text(value)
        if text is None:
            return None
        return rules.choice(aliases.get(text.lower(), text), allowed, what)

    return parse


SOLUTION_KIND = _choice(
    rules.SOLUTION_KINDS,
    {
        "arbejdsgang": "procedure",
        "arbejdsgangsbeskrivelse": "procedure",
        "procedure": "procedure",
        "organisering": "organisation",
        "organisationsstruktur": "organisation",
        "samarbejdsaftale": "cooperation-agreement",
        "informationsmateriale": "information",
        "juridisk aftale": "legal-agreement",
        "it-koncept": "it",
        "it": "it",
        "andet": "other",
    },
    "what.kind",
)
SOLUTION_STATUS = _choice(
    rules.SOLUTION_STATUSES,
    {
        "idé": "idea",
        "ide": "idea",
        "under udvikling": "developing",
        "udvikling": "developing",
        "afprøves": "trial",
        "afprøvning": "trial",
        "test": "trial",
        "implementeret": "implemented",
        "overleveret": "handed-over",
        "overleveret til drift": "handed-over",
        "opgivet": "dropped",
    },
    "what.status",
)
STAGE = _choice(
    economics.STAGES,
    {
        "estimeret": "estimated",
        "dokumenteret": "documented",
        "budgetlagt": "budgeted",
        "indarbejdet": "budgeted",
        "indarbejdet i budget": "budgeted",
    },
    "what.stage",
)
PHASE = _choice(rules.PHASES, {}, "what.phase")
DELIVERABLE_KIND = _choice(rules.DELIVERABLE_KINDS, {"droftelse": "drøftelse"}, "what.kind")


def _area(value: Any) -> str | None:
    text = _text(value)
    return economics.area(text) if text else None


@dataclass(frozen=True)
class Field:
    name: str
    headers: tuple[str, ...]
    parse: Callable[[Any], Any] = _text
    required: bool = False


def F(
    name: str, *headers: str, parse: Callable[[Any], Any] = _text, required: bool = False
) -> Field:
    return Field(name, (name, *headers), parse, required)


KINDS: dict[str, tuple[Field, ...]] = {
    "projects": (
        F("code", "kode", "projektkode", "nr"),
        F("title", "titel", "projekt", "projektnavn", "navn", "name", required=True),
        F("segment", "målgruppe", "segmentkode", required=True),
        F("owner", "projektejer", "ejer"),
        F("leader", "projektleder", "leder"),
        F("departments", "afdelinger", "afdeling", "forvaltning", "department", parse=_list),
        F("phase", "fase", parse=PHASE),
        F("start_date", "start", "startdato", "start date", parse=_date),
        F("end_date", "slut", "slutdato", "end", "end date", parse=_deadline),
        F("purpose", "formål", "formål og baggrund"),
        F("case_number", "sagsnummer", "sagsnr", "sagsnr."),
        F("success_criteria", "succeskriterier"),
        F("risks", "risici", "væsentligste risici"),
    ),
    "solutions": (
        F("code", "kode"),
        F("title", "titel", "løsning", "navn", "name", required=True),
        F("project", "projekt", "projektkode", required=True),
        F("kind", "type", "tema", parse=SOLUTION_KIND),
        F("status", parse=SOLUTION_STATUS),
        F("status_date", "dato", "statusdato", "date", parse=_date),
        F("trial_from", "afprøvning fra", "test fra", parse=_date),
        F("trial_to", "afprøvning til", "test til", parse=_deadline),
        F("trial_population", "afprøvet på", "testgruppe", "målgruppe i test"),
        F("handed_over_to", "overleveret til", "afdeling"),
        F("description", "beskrivelse"),
        F("expected_effects", "forventede effekter"),
        F("documented_effects", "dokumenterede effekter"),
    ),
    "milestones": (
        F("code", "kode"),
        F("title", "titel", "milepæl", "navn", required=True),
        F("project", "projekt", "projektkode"),
        F("portfolio", "portefølje"),
        F(
            "due_date",
            "dato",
            "frist",
            "deadline",
            "due",
            "forfald",
            parse=_deadline,
            required=True,
        ),
        F("done_date", "nået", "færdig", "done", parse=_date),
        F("note", "bemærkning", "noter"),
        F("reason", "begrundelse", "årsag"),
    ),
    "deliverables": (
        F("code", "kode"),
        F("title", "titel", "sag", "leverance", "navn", required=True),
        F("committee", "udvalg", required=True),
        F("meeting_date", "mødedato", "møde", "dato", "meeting", parse=_day, required=True),
        F("kind", "type", "sagstype", parse=DELIVERABLE_KIND),
        F("projects", "projekter", "projekt", parse=_list),
        F("portfolio", "portefølje"),
        F("prior", "forbehandling", "forbehandles i", parse=_list),
        F("description", "beskrivelse"),
        F("reason", "begrundelse", "årsag"),
    ),
    "savings": (
        F("code", "kode"),
        F("project", "projekt", "projektkode", required=True),
        F("department", "afdeling", "forvaltning"),
        F("area", "styringsområde", "område", parse=_area),
        F("year", "år", "budgetår", parse=_year),
        F("from_year", "fra år", "fra og med", "varig fra", parse=_year),
        F(
            "amount",
            "beløb",
            "beløb (kr.)",
            "kr",
            "kroner",
            "estimat",
            parse=_amount,
            required=True,
        ),
        F("realised", "realiseret", "dokumenteret beløb", parse=_amount),
        F("stage", "stade", "status", parse=STAGE),
        F("attribution", "henførbar", "henførbart", "henførbar andel", parse=_percent),
        F("price_level", "prisniveau", "p/l", "pl", parse=_year),
        F("solution", "løsning"),
        F("fte", "årsværk", parse=_fte),
        F("name", "linje", "post", "line"),
        F("note", "bemærkning", "dokumentation", "evidens"),
    ),
    "investments": (
        F("code", "kode"),
        F("project", "projekt", "projektkode", required=True),
        F("department", "afdeling", "forvaltning"),
        F("area", "styringsområde", "område", parse=_area),
        F("year", "år", "budgetår", parse=_year, required=True),
        F("amount", "beløb", "beløb (kr.)", "kr", "kroner", parse=_amount, required=True),
        F("funding", "finansiering", "kilde"),
        F("status", "bevilling", "ansøgning", parse=_investment_status),
        F("price_level", "prisniveau", "p/l", parse=_year),
        F("fte", "årsværk", parse=_fte),
        F("name", "linje", "post", "line"),
        F("note", "bemærkning"),
    ),
}

# An amount header may state its unit: "Beløb (1.000 kr.)" or "Beløb i mio. kr." multiplies.
_UNIT = re.compile(r"(1\.000|t\.?\s*kr|tkr|mio)", re.IGNORECASE)


def unit_factor(header: str) -> int:
    m = _UNIT.search(header)
    if not m:
        return 1
    return 1_000_000 if m[1].lower().startswith("mio") else 1000


def amount_in(value: Any, factor: int) -> int | None:
    """An amount under a header that states its unit ("Beløb (1.000 kr.)"): 1.482,5 = 1.482.500.
    A number cell is scaled in exact decimals (4,1 mio. is 4.100.000, not 4.099.999,99…)."""
    if factor == 1:
        return _amount(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        from decimal import Decimal

        kroner = Decimal(repr(value)) * factor
        if kroner != kroner.to_integral_value():
            raise InvalidValue(msg("err.amount_not_whole", value=value))
        return parse_amount(int(kroner))
    text = _text(value)
    if text is None:
        return None
    return parse_amount(f"{text} {'mio.' if factor == 1_000_000 else 't.kr.'}")


def match_headers(kind: str, headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """{field: header as written} for the headers we know, and the headers we do not."""
    fields = KINDS[kind]
    known: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        plain = re.sub(
            r"\s*\((1\.000 )?(t\.?\s*)?(mio\.?\s*)?kr\.?\)\s*$", "", header.strip().lower()
        )
        plain = re.sub(r"\s+i\s+(1\.000 kr\.?|mio\.? kr\.?|t\.kr\.?)$", "", plain)
        found = next((f for f in fields if plain in f.headers), None)
        if found is None:
            unknown.append(header)
        elif found.name in known:
            raise InvalidValue(
                msg(
                    "err.sheet_columns_twice",
                    first=known[found.name],
                    second=header,
                    field=column_name(found.name),
                )
            )
        else:
            known[found.name] = header
    return known, unknown
