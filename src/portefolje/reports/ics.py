"""Calendar files (RFC 5545, written with the `icalendar` library) for Outlook and the like:
the committee calendar (`report deliverables --format ics`) and milestones
(`milestone list --format ics`).

What a secretariat gets when it imports the file:

- **One all-day event per case at a committee meeting**, on the meeting's date (meeting times
  are not registered), and **one per prior handling** (forbehandling), on that committee's date.
  A prior handling is a meeting of its own with its own deadline for the papers, so it must show
  on its own day in the calendar; written only into the main event's description it would be
  found too late. Each prior event names the meeting it prepares, and the main event lists the
  whole chain. Several cases at one meeting are several events on that day: each case moves on
  its own when it is postponed.
- **One all-day event per milestone**, on its due date.
- **Stable UIDs**: `deliverable-<code>@portefolje`, for a prior handling
  `deliverable-<code>-prior-<committee>@portefolje`, and `milestone-<code>@portefolje`.
  Importing a newer file updates the events instead of adding copies; a postponed case or a
  moved milestone moves in the calendar.
- **SEQUENCE** counts the item's changes on record (postponements or moves, and delivery or
  completion), so a client sees the newer file as a newer version of each event.
- **No clock**: DTSTAMP is the last date the item changed on record (a postponement, a move,
  delivery or completion), else the item's own date; the same database gives the same bytes.
- Events are "free" time (TRANSP:TRANSPARENT, and Outlook's busy status FREE): an all-day
  reminder of a meeting must not block the whole day in colleagues' free/busy view.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from portefolje.domain.dates import format_long
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg
from portefolje.reports.model import Report

LABELS = {
    "da": {
        "calendar": "Udvalgskalender",
        "milestones": "Milepæle",
        "case": "Sag {code} til {committee}, møde {date}.",
        "prior_case": "Forbehandling af sag {code} i {committee} {date}, før {main} {main_date}.",
        "prior_summary": "forbehandling før {main} {date}",
        "kind": "Type",
        "status": "Status",
        "projects": "Projekter",
        "chain": "Behandlingsforløb",
        "postponed": "Udsat fra {a} til {b}",
        "delivered": "Leveret {d}",
        "milestone": "Milepæl",
        "milestone_done": "Milepæl nået",
        "belongs": "Hører til",
        "due": "Frist",
        "done": "Nået {d}",
        "moved": "Flyttet fra {a} til {b}",
        "note": "Note",
        "planned": "planlagt",
        "postponed_status": "udsat",
        "delivered_status": "leveret",
        "meeting_category": "Udvalgsmøde",
        "milestone_category": "Milepæl",
    },
    "en": {
        "calendar": "Committee calendar",
        "milestones": "Milestones",
        "case": "Case {code} for {committee}, meeting {date}.",
        "prior_case": (
            "Prior handling of case {code} in {committee} {date}, before {main} {main_date}."
        ),
        "prior_summary": "prior handling before {main} {date}",
        "kind": "Kind",
        "status": "Status",
        "projects": "Projects",
        "chain": "Handling",
        "postponed": "Postponed from {a} to {b}",
        "delivered": "Delivered {d}",
        "milestone": "Milestone",
        "milestone_done": "Milestone met",
        "belongs": "Belongs to",
        "due": "Due",
        "done": "Met {d}",
        "moved": "Moved from {a} to {b}",
        "note": "Note",
        "planned": "planned",
        "postponed_status": "postponed",
        "delivered_status": "delivered",
        "meeting_category": "Committee meeting",
        "milestone_category": "Milestone",
    },
}


def uid(kind: str, *parts: str) -> str:
    """A stable UID: 'deliverable-LV3@portefolje'; characters outside [A-Za-z0-9-_.] of a code
    are percent-encoded so every client reads the UID the same way."""
    return "-".join([kind, *(quote(p, safe="") for p in parts)]) + "@portefolje"


def _stamp(*dates: str | None) -> datetime:
    """DTSTAMP from the data: the latest of the dates given (ISO), at midnight UTC."""
    day = max(date.fromisoformat(d) for d in dates if d)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class _Calendar:
    """A VCALENDAR written event by event: each event is serialised by icalendar as it is made
    and only its bytes are kept, so 50,000 milestones never live as 50,000 objects at once."""

    END = b"END:VCALENDAR\r\n"

    def __init__(self, name: str):
        from icalendar import Calendar

        from portefolje import __version__

        cal = Calendar()
        cal.add("prodid", f"-//portefolje//portefolje {__version__}//DA")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", name)
        head = bytes(cal.to_ical())
        assert head.endswith(self.END)
        self.parts = [head[: -len(self.END)]]

    def add_component(self, event: bytes) -> None:
        self.parts.append(event)

    def to_ical(self) -> bytes:
        return b"".join([*self.parts, self.END])


def _event(
    *,
    uid_: str,
    day: str,
    summary: str,
    description: list[str],
    stamp: datetime,
    sequence: int,
    category: str,
    related: str | None = None,
) -> bytes:
    """One all-day VEVENT, serialised as icalendar serialises an Event with these properties
    (its canonical order, then the rest by name; TEXT escaping and line folding are icalendar's
    own functions): building an icalendar Event per case cost 0.45 ms, 1.2 s for the 2,580
    events of the committee calendar at L. tests/test_ics_fast.py holds the bytes to icalendar's."""
    from icalendar.parser.string import _escape_char

    start = date.fromisoformat(day)
    end = start + timedelta(days=1)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _escape_char(summary),
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "UID:" + _escape_char(uid_),
        f"SEQUENCE:{sequence}",
        "CATEGORIES:" + _escape_char(category),
        "DESCRIPTION:" + _escape_char("\n".join(line for line in description if line)),
    ]
    if related:
        lines.append("RELATED-TO:" + _escape_char(related))
    lines += [
        "TRANSP:TRANSPARENT",
        "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
        "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
        "END:VEVENT",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _fold(line: str) -> str:
    """RFC 5545 folding at 75 octets, by icalendar's own rule; a line it would not fold (under
    75 octets) is returned as it is without walking it character by character."""
    if len(line) < 19 or len(line.encode("utf-8")) < 75:  # 4 octets a character at most
        return line
    from icalendar.parser.string import _foldline

    return _foldline(line)


def render_ics(report: Report) -> bytes:
    """The committee calendar of a `report deliverables` as an iCalendar file."""
    if report.kind != "deliverables":
        raise InvalidValue(msg("err.report_no_form", report=report.kind, format="ics"))
    return deliverables_ics(report.data.get("committees", []), report.lang, report.data)


def deliverables_ics(
    committees: list[dict[str, Any]], lang: str, data: dict[str, Any] | None = None
) -> bytes:
    t = LABELS["en" if lang == "en" else "da"]
    name = t["calendar"] + (f" – {data['portfolio']}" if data and data.get("portfolio") else "")
    cal = _Calendar(name)
    for committee in committees:
        for d in committee["deliverables"]:
            for event in _case_events(committee, d, t, lang):
                cal.add_component(event)
    return cal.to_ical()


def _case_events(
    committee: dict[str, Any], d: dict[str, Any], t: dict[str, str], lang: str
) -> list[bytes]:
    """One case: its event at the meeting, and one per prior handling."""
    main = committee["code"]
    when = lambda day: format_long(day, lang)  # noqa: E731
    moves = d.get("postponements") or []
    changed = [m.get("postponed_on") for m in moves] + [d.get("delivered_date")]
    stamp = _stamp(*changed) if any(changed) else _stamp(d["meeting_date"])
    sequence = len(moves) + (1 if d.get("delivered_date") else 0)
    details = _case_details(d, main, moves, t, when)
    main_uid = uid("deliverable", d["code"])
    kind = f" ({d['kind']})" if d.get("kind") else ""
    case = t["case"].format(
        code=d["code"], committee=f"{committee['name']} ({main})", date=when(d["meeting_date"])
    )
    events = [
        _event(
            uid_=main_uid,
            day=d["meeting_date"],
            summary=f"{main}: {d['title']}{kind}",
            description=[case, *details],
            stamp=stamp,
            sequence=sequence,
            category=t["meeting_category"],
        )
    ]
    for p in d.get("prior") or []:
        pkind = f" ({p['kind']})" if p.get("kind") else ""
        prior_case = t["prior_case"].format(
            code=d["code"],
            committee=p.get("committee_name") or p["committee"],
            date=when(p["meeting_date"]),
            main=main,
            main_date=when(d["meeting_date"]),
        )
        events.append(
            _event(
                uid_=uid("deliverable", d["code"], "prior", p["committee"]),
                day=p["meeting_date"],
                summary=f"{p['committee']}: {d['title']}{pkind} – "
                + t["prior_summary"].format(main=main, date=when(d["meeting_date"])),
                description=[prior_case, *details],
                stamp=stamp,
                sequence=sequence,
                category=t["meeting_category"],
                related=main_uid,
            )
        )
    return events


def _case_details(
    d: dict[str, Any], main: str, moves: list[dict[str, Any]], t: dict[str, str], when: Any
) -> list[str]:
    chain = [
        f"{p['committee']} {when(p['meeting_date'])}" + (f" ({p['kind']})" if p.get("kind") else "")
        for p in d.get("prior") or []
    ] + [f"{main} {when(d['meeting_date'])}"]
    return [
        f"{t['kind']}: {d['kind']}" if d.get("kind") else "",
        f"{t['status']}: {t.get(str(d['status']) + '_status', t['planned'])}",
        f"{t['projects']}: {', '.join(d['projects'])}" if d.get("projects") else "",
        f"{t['chain']}: {' → '.join(chain)}",
        *(
            t["postponed"].format(a=when(m["from"]), b=when(m["to"]))
            + (f": {m['reason']}" if m.get("reason") else "")
            for m in moves
        ),
        t["delivered"].format(d=when(d["delivered_date"])) if d.get("delivered_date") else "",
        d.get("description") or "",
    ]


def milestones_ics(rows: list[dict[str, Any]], lang: str = "da") -> bytes:
    """Milestones (as `milestone list` returns them) as all-day events on their due dates."""
    t = LABELS["en" if lang == "en" else "da"]
    cal = _Calendar(t["milestones"])
    when = lambda d: format_long(d, lang)  # noqa: E731
    for m in rows:
        moves = m.get("moves") or []
        changed = [mv.get("moved_on") for mv in moves] + [m.get("done_date")]
        owner = m.get("project") or m.get("portfolio") or ""
        title = t["milestone_done"] if m.get("done_date") else t["milestone"]
        cal.add_component(
            _event(
                uid_=uid("milestone", m["code"]),
                day=m["due_date"],
                summary=f"{title}: {m['title']}" + (f" ({owner})" if owner else ""),
                description=[
                    f"{m['code']}: {m['title']}",
                    f"{t['belongs']}: {owner}" if owner else "",
                    f"{t['due']}: {when(m['due_date'])}",
                    t["done"].format(d=when(m["done_date"])) if m.get("done_date") else "",
                    *(
                        t["moved"].format(a=when(mv["from"]), b=when(mv["to"]))
                        + (f": {mv['reason']}" if mv.get("reason") else "")
                        for mv in moves
                    ),
                    f"{t['note']}: {m['note']}" if m.get("note") else "",
                ],
                stamp=_stamp(*changed) if any(changed) else _stamp(m["due_date"]),
                sequence=len(moves) + (1 if m.get("done_date") else 0),
                category=t["milestone_category"],
            )
        )
    return cal.to_ical()
