"""The site's Datasette metadata, in Danish: titles, descriptions, column labels, the canned
queries a director asks for, and which tables readers do not see.

The journal (who changed what, with OS user names), the code counters and the stored copies of
published reports are hidden and closed (`allow: false`): a reader cannot open them by URL
either, and arbitrary SQL is off (settings in `site.py`), so the canned queries are the only SQL.
"""

from __future__ import annotations

from typing import Any

from portefolje.store import site_queries as sql

CLOSED = ("journal", "code_counter", "published_report", "published_file")

TABLES: dict[str, tuple[str, str]] = {
    "portfolio": ("Porteføljer", "Udviklingsprogrammer med hver sit sparemål."),
    "segment": ("Segmenter", "Borger- og familiesegmenter; hvert projekt tjener ét."),
    "project": ("Projekter", "Projekterne. Status, fase og sundhed står i projekthændelser."),
    "project_event": (
        "Projekthændelser",
        "Status, fase og sundhed med dato: et projekts status på en dag er den seneste "
        "statushændelse på eller før dagen.",
    ),
    "project_department": ("Projekternes afdelinger", "Hvilke afdelinger et projekt hører til."),
    "department": ("Afdelinger", "Forvaltninger, afdelinger og centre."),
    "committee": ("Udvalg", "Politiske udvalg og kommunalbestyrelsen."),
    "solution": ("Løsninger", "Konkrete resultater af projekterne."),
    "solution_event": ("Løsningernes forløb", "Hvert skridt en løsning har taget, med dato."),
    "milestone": ("Milepæle", "Milepæle med den forfaldsdato, der gælder nu."),
    "milestone_event": ("Milepælshændelser", "Nået, genåbnet, aflyst og genoptaget."),
    "milestone_move": ("Flyttede milepæle", "Hver flytning med den tidligere dato og årsagen."),
    "deliverable": ("Leverancer til udvalg", "Sager til udvalgsmøder med den dato, der gælder nu."),
    "deliverable_event": ("Leverancernes hændelser", "Leveret, aflyst og genoptaget."),
    "deliverable_postponement": ("Udsættelser og fremrykninger", "Hver flytning af en sag."),
    "deliverable_prior": ("Forbehandling", "Udvalg der behandler sagen først."),
    "deliverable_project": ("Leverancernes projekter", "Hvilke projekter en sag handler om."),
    "indicator": ("Effektmål", "Indikatorer med baseline og mål."),
    "indicator_measurement": ("Målinger", "Målte værdier af effektmålene."),
    "saving": ("Provenuer", "Provenuernes koder; tallene står i provenuversionerne."),
    "saving_version": (
        "Provenuversioner",
        "Hvert provenu som det stod fra en dato til en anden (gyldig fra/til).",
    ),
    "investment": ("Investeringer", "Investeringernes koder; tallene står i versionerne."),
    "investment_version": ("Investeringsversioner", "Investeringer som de stod over tid."),
    "target": ("Sparemål", "Porteføljernes sparemål pr. år eller fra et år og frem."),
    "target_version": ("Sparemålsversioner", "Sparemålenes beløb som de stod over tid."),
    "target_share": ("Fordelingsnøgler", "Sparemålets fordeling på afdelinger."),
    "coverage": ("Anden dækning", "Rammebesparelser, engangsmidler og budgetomplaceringer."),
    "coverage_version": ("Dækningsversioner", "Anden dækning som den stod over tid."),
    "price_index": ("Pris- og lønindeks", "Indeks til at omregne beløb mellem prisniveauer."),
}

LABEL_COLUMN = {
    "portfolio": "name",
    "segment": "name",
    "project": "title",
    "department": "name",
    "committee": "name",
    "solution": "title",
    "milestone": "title",
    "deliverable": "title",
    "indicator": "name",
    "saving": "code",
    "investment": "code",
    "target": "code",
    "coverage": "code",
}

COLUMNS: dict[str, str] = {
    "id": "Id",
    "code": "Kode",
    "name": "Navn",
    "title": "Titel",
    "owner": "Ejer",
    "leader": "Projektleder",
    "description": "Beskrivelse",
    "note": "Note",
    "date": "Dato",
    "kind": "Type",
    "reason": "Årsag",
    "portfolio_id": "Portefølje",
    "segment_id": "Segment",
    "project_id": "Projekt",
    "department_id": "Afdeling",
    "committee_id": "Udvalg",
    "solution_id": "Løsning",
    "milestone_id": "Milepæl",
    "deliverable_id": "Leverance",
    "indicator_id": "Effektmål",
    "saving_id": "Provenu",
    "investment_id": "Investering",
    "target_id": "Sparemål",
    "coverage_id": "Dækning",
    "target_version_id": "Sparemålsversion",
    "category": "Kategori",
    "track": "Spor",
    "population": "Antal borgere",
    "annual_cost": "Årlige udgifter (kr.)",
    "start_date": "Startdato",
    "end_date": "Slutdato",
    "purpose": "Formål og baggrund",
    "case_number": "Sagsnummer",
    "success_criteria": "Succeskriterier",
    "risks": "Risici",
    "deliverables": "Leverancer",
    "stakeholders": "Interessenter",
    "steering_group": "Styregruppe",
    "participants": "Deltagere",
    "reference_group": "Følgegruppe",
    "benefits": "Gevinster",
    "prerequisites": "Forudsætninger for gevinsterne",
    "dimension": "Dimension",
    "old_value": "Før",
    "new_value": "Efter",
    "old_status": "Før",
    "new_status": "Efter",
    "recorded_at": "Registreret (UTC)",
    "trial_from": "Afprøvning fra",
    "trial_to": "Afprøvning til",
    "trial_population": "Afprøvet på",
    "handed_over_to": "Overleveret til",
    "expected_effects": "Forventede effekter",
    "documented_effects": "Dokumenterede effekter",
    "due_date": "Forfaldsdato",
    "follow_up": "Gevinstopfølgning",
    "moved_on": "Flyttet den",
    "old_due": "Tidligere dato",
    "new_due": "Ny dato",
    "meeting_date": "Mødedato",
    "postponed_on": "Besluttet den",
    "old_date": "Tidligere mødedato",
    "new_date": "Ny mødedato",
    "unit": "Enhed",
    "baseline": "Baseline",
    "baseline_date": "Baselinedato",
    "target": "Mål",
    "target_date": "Måldato",
    "measured_by": "Måles af",
    "value": "Værdi",
    "valid_from": "Gyldig fra",
    "valid_to": "Gyldig til",
    "area": "Styringsområde",
    "year": "År",
    "from_year": "Fra år og frem",
    "amount": "Beløb (kr.)",
    "realised": "Realiseret (kr.)",
    "stage": "Stade",
    "attribution": "Henførbar (%)",
    "price_level": "Prisniveau (p/l)",
    "fte": "Årsværk",
    "status": "Status",
    "funding": "Finansiering",
    "numerator": "Tæller",
    "denominator": "Nævner",
}

DATE_HELP = "Dato (ÅÅÅÅ-MM-DD); tom: i dag."
QUERIES: dict[str, dict[str, Any]] = {
    "overskredne_milepaele": {
        "title": "Overskredne milepæle",
        "description": "Milepæle der hverken var nået eller aflyst på dagen, og hvis "
        "forfaldsdato var passeret. " + DATE_HELP,
        "sql": sql.OVERDUE_MILESTONES,
        "params": ["dato", "portefolje"],
        "hide_sql": True,
    },
    "mangler_pr_afdeling_og_aar": {
        "title": "Mangler pr. afdeling og år",
        "description": "Sparemålets andel pr. afdeling og år i budgetperioden (fra år + 3) minus "
        "dokumenteret og budgetlagt provenu (den henførbare del) og anden dækning, som tallene "
        "stod på dagen. Beløb som registreret (ingen omregning mellem prisniveauer) og "
        "afdelingens andel rundet ned til hele kroner; statusrapporten omregner og fordeler "
        "ørerne. " + DATE_HELP,
        "sql": sql.GAP_BY_DEPARTMENT,
        "params": ["dato", "fra_aar", "portefolje"],
        "hide_sql": True,
    },
    "udvalgskalender": {
        "title": "Udvalgskalender",
        "description": "Sager til udvalgsmøder fra dagen og otte uger frem (eller til »til«), "
        "med forbehandling og status som de stod på dagen. " + DATE_HELP,
        "sql": sql.CALENDAR,
        "params": ["dato", "til"],
        "hide_sql": True,
    },
    "projekter_paa_pause": {
        "title": "Projekter sat på pause, og hvorfor",
        "description": "Projekter hvis seneste status på dagen var »sat på pause«, med "
        "begrundelsen. " + DATE_HELP,
        "sql": sql.PAUSED,
        "params": ["dato"],
        "hide_sql": True,
    },
    "projektoversigt": {
        "title": "Projekter: status, fase og sundhed",
        "description": "Hvert projekt som det stod på dagen, med den seneste samlede "
        "sundhedsvurdering og kommentaren. " + DATE_HELP,
        "sql": sql.PROJECTS,
        "params": ["dato", "portefolje"],
        "hide_sql": True,
    },
}


def tables(columns: dict[str, list[str]]) -> dict[str, Any]:
    """Per table: Danish title, description, column labels; the closed tables hidden."""
    out: dict[str, Any] = {}
    for table, names in columns.items():
        if table in CLOSED or table not in TABLES:
            out[table] = {"hidden": True, "allow": False}
            continue
        title, description = TABLES[table]
        entry: dict[str, Any] = {
            "title": title,
            "description": description,
            "columns": {c: COLUMNS[c] for c in names if c in COLUMNS},
        }
        if table in LABEL_COLUMN:
            entry["label_column"] = LABEL_COLUMN[table]
        out[table] = entry
    return out


def _contents(database: str, columns: dict[str, list[str]], base: str) -> Any:
    """The database page's introduction: what is here, and the tables by their Danish titles."""
    from markupsafe import Markup

    shown = [
        Markup('<a href="{}">{}</a>').format(f"{base}{database}/{table}", title)
        for table, (title, _) in TABLES.items()
        if table in columns
    ]
    return (
        Markup("<p>Projekter, løsninger, milepæle, udvalgssager og økonomi. Datoer er ")
        + Markup("ÅÅÅÅ-MM-DD, beløb hele kroner.</p><p><b>Tabeller:</b> ")
        + Markup(" · ").join(shown)
        + Markup("</p>")
    )


def build(
    database: str, columns: dict[str, list[str]], portfolios: list[dict[str, Any]], base: str
) -> dict[str, Any]:
    """The whole metadata document for one served database named `database`."""
    from markupsafe import Markup

    links = [Markup('<a href="{}">Statusrapport, alle porteføljer</a>').format(f"{base}-/rapport")]
    links += [
        Markup('<a href="{}">{} · {}</a>').format(
            f"{base}-/rapport?portefolje={p['code']}", p["code"], p["name"]
        )
        for p in portfolios
    ]
    queries = [
        Markup('<a href="{}">{}</a>').format(f"{base}{database}/{name}", q["title"])
        for name, q in QUERIES.items()
    ]
    description = (
        Markup(
            "<p>Porteføljen som læsere ser den: skrivebeskyttet, læst fra sekretariatets fil.</p>"
        )
        + Markup("<p><b>Rapporter:</b> ")
        + Markup(" · ").join(links)
        + Markup("</p><p><b>Spørgsmål:</b> ")
        + Markup(" · ").join(queries)
        + Markup("</p>")
    )
    return {
        "title": "Porteføljestyring",
        "portefolje_portfolios": [[p["code"], p["name"]] for p in portfolios],
        "description_html": str(description),
        "databases": {
            database: {
                "title": "Porteføljen",
                "description_html": str(_contents(database, columns, base)),
                "tables": tables(columns),
                "queries": QUERIES,
            }
        },
    }
