"""Empty import sheets with the expected headers (Danish) and one example row per kind."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg
from portefolje.sheets.columns import KINDS

EXAMPLES: dict[str, dict[str, Any]] = {
    "projects": {
        "code": "P7",
        "title": "Unge i overgang til voksenlivet",
        "segment": "S3",
        "owner": "Direktør for Børn og Unge",
        "leader": "Projektleder, Ungeenheden",
        "departments": "SF, BA",
        "phase": "indsigt",
        "start_date": "1/9 2019",
    },
    "solutions": {
        "code": "L11",
        "title": "Fælles plan på tværfagligt møde",
        "project": "P4",
        "kind": "samarbejdsaftale",
        "status": "afprøves",
        "status_date": "1/5 2019",
        "trial_population": "10 eller flere borgere",
    },
    "milestones": {
        "code": "M9",
        "title": "Prøvehandling evalueret",
        "project": "P4",
        "due_date": "31/12 2019",
    },
    "deliverables": {
        "code": "LV6",
        "title": "Samlet plan for opgaveløsningen",
        "committee": "ØU",
        "meeting_date": "19/6 2019",
        "kind": "drøftelse",
        "projects": "P1",
        "prior": "BUU:11/6 2019",
    },
    "savings": {
        "code": "",
        "project": "P3",
        "department": "SF",
        "area": "service",
        "year": "2018",
        "from_year": "",
        "amount": "978.000",
        "stage": "dokumenteret",
        "price_level": "2018",
        "note": "Fald for 29 borgere",
    },
    "investments": {
        "code": "",
        "project": "P2",
        "department": "SF",
        "area": "service",
        "year": "2019",
        "amount": "2.000.000",
        "funding": "Innovationspulje",
    },
}


def headers(kind: str) -> list[tuple[str, str]]:
    """(field, the Danish header written in templates) for every column of `kind`."""
    out = []
    for f in KINDS[kind]:
        danish = f.headers[1] if len(f.headers) > 1 else f.name
        out.append((f.name, danish[:1].upper() + danish[1:]))
    return out


# a file name that starts with a kind's Danish or English name says which kind it holds
NAMES = {
    "projects": ("projects", "projekter", "projekt"),
    "solutions": ("solutions", "løsninger", "loesninger", "losninger", "løsning"),
    "milestones": ("milestones", "milepæle", "milepaele", "milepæl", "milepael"),
    "deliverables": ("deliverables", "leverancer", "leverance", "udvalgssager"),
    "savings": ("savings", "besparelser", "besparelse", "provenu"),
    "investments": ("investments", "investeringer", "investering"),
}


def kind_from(path: Path, kind: str | None) -> str:
    stem = path.stem.lower()
    found = kind or next(
        (k for k, names in NAMES.items() if any(stem.startswith(n) for n in names)), None
    )
    if found not in KINDS:
        raise InvalidValue(msg("err.sheet_kind", kinds=", ".join(KINDS), name=path.name))
    return found


def write(path: Path, kind: str) -> bytes:
    cols = [(f, h) for f, h in headers(kind) if f != "reason"]
    example = EXAMPLES[kind]
    if path.suffix.lower() == ".csv":
        from portefolje.sheets.export import to_csv

        return to_csv([h for _, h in cols], [[example.get(f, "") for f, _ in cols]])
    if path.suffix.lower() != ".xlsx":
        raise InvalidValue(msg("err.template_suffix"))
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = book.add_worksheet(kind)
    head = book.add_format({"bold": True, "bg_color": "#EEF2F5", "border": 1})
    for c, (_, h) in enumerate(cols):
        sheet.write_string(0, c, h, head)
        sheet.write_string(1, c, str(example.get(cols[c][0], "")))
        sheet.set_column(c, c, max(len(h), len(str(example.get(cols[c][0], "")))) + 2)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
