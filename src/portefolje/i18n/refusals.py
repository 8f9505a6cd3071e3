"""The catalogue's refusals: what a command says when it will not do what was asked, raised in
the domain, the store, the sheets or the CLI. Keys start with "err."; each says what was wrong
and how to do it right, in one line."""

from __future__ import annotations

REFUSALS: dict[str, tuple[str, str]] = {
    # the frame every refusal is printed in
    "err.prefix": ("fejl: {message}", "error: {message}"),
    "err.usage": (
        "fejl: {message} (se `{where} --help`)",
        "error: {message} (see `{where} --help`)",
    ),
    "err.internal": (
        "intern fejl: {name}: {message} (intet blev skrevet; kør igen med --debug og meld fejlen)",
        "internal error: {name}: {message} (nothing was written; rerun with --debug and report it)",
    ),
    "err.argument_not_text": (
        "argument {position} er ikke gyldig tekst: det indeholder bytes, der ikke er UTF-8; skriv det igen, eller omdøb filen til et navn uden dem",
        "argument {position} is not valid text: it holds bytes that are not UTF-8; type it again, or rename the file to a name without them",
    ),
    "err.disk_full_file": (
        "disken er fuld: filen blev ikke skrevet",
        "the disk is full: the file was not written",
    ),
    "err.busy_timeout": (
        "angiv et antal sekunder fra 0 til 86400",
        "give a number of seconds from 0 to 86400",
    ),
    "err.language": (
        "ukendt sprog {value!r}: vælg da eller en",
        "unknown language {value!r}: choose da or en",
    ),
    # operating-system errors by errno name
    "os.ENOENT": ("filen eller mappen findes ikke", "No such file or directory"),
    "os.EACCES": ("adgang nægtet", "Permission denied"),
    "os.EPERM": ("handlingen er ikke tilladt", "Operation not permitted"),
    "os.EISDIR": ("det er en mappe", "Is a directory"),
    "os.ENOTDIR": ("det er ikke en mappe", "Not a directory"),
    "os.EEXIST": ("filen findes allerede", "File exists"),
    "os.EROFS": ("filsystemet er skrivebeskyttet", "Read-only file system"),
    "os.ENAMETOOLONG": ("filnavnet er for langt", "File name too long"),
    # usage errors (typer/click), rebuilt in cli/usage.py
    "usage.no_such_option": ("ukendt tilvalg: {option}", "No such option: {option}"),
    "usage.did_you_mean": ("(mulige tilvalg: {options})", "(Possible options: {options})"),
    "usage.missing_option": ("mangler tilvalget {name}.", "Missing option {name}."),
    "usage.missing_argument": ("mangler argumentet {name}.", "Missing argument {name}."),
    "usage.missing_parameter": ("mangler {name}.", "Missing parameter {name}."),
    "usage.bad_value": (
        "ugyldig værdi for {name}: {message}",
        "Invalid value for {name}: {message}",
    ),
    "usage.from_environment": (
        "{option} (fra miljøvariablen {envvar})",
        "{option} (from the environment variable {envvar})",
    ),
    "usage.bad_value_plain": ("ugyldig værdi: {message}", "Invalid value: {message}"),
    "usage.no_such_command": ("ukendt kommando '{name}'.", "No such command '{name}'."),
    "usage.missing_command": ("mangler en kommando.", "Missing command."),
    "usage.extra_arguments": (
        "uventede ekstra argumenter ({args})",
        "Got unexpected extra argument(s) ({args})",
    ),
    "usage.needs_value": (
        "tilvalget '{option}' skal have en værdi.",
        "Option '{option}' requires an argument.",
    ),
    "usage.needs_values": (
        "tilvalget '{option}' skal have {n} værdier.",
        "Option '{option}' requires {n} arguments.",
    ),
    "usage.takes_no_value": (
        "tilvalget '{option}' tager ingen værdi.",
        "Option '{option}' does not take a value.",
    ),
    "usage.not_integer": ("{value} er ikke et helt tal.", "{value} is not a valid integer."),
    "usage.not_number": ("{value} er ikke et tal.", "{value} is not a valid float."),
    "usage.out_of_range": (
        "{value} er ikke tilladt: skriv et tal {range}.",
        "{value} is out of range: give a number {range}.",
    ),
    "usage.range_at_least": ("på mindst {bound}", "of at least {bound}"),
    "usage.range_above": ("over {bound}", "above {bound}"),
    "usage.range_at_most": ("på højst {bound}", "of at most {bound}"),
    "usage.range_below": ("under {bound}", "below {bound}"),
    "usage.range_between": ("fra {low} til {high}", "from {low} to {high}"),
    "usage.not_boolean": ("{value} er ikke ja eller nej.", "{value} is not a valid boolean."),
    "err.history_start": (
        "historikken for projekt {code} skal begynde som aktiv eller foreslået, ikke {status}",
        "project {code}'s history must start active or proposed, not {status}",
    ),
    "err.history_step": (
        "projekt {code} kan ikke gå fra {a} til {b} (den {date})",
        "project {code} cannot go from {a} to {b} (on {date})",
    ),
    "err.date_backwards": (
        "datoen {date} ligger før seneste {what} ({last}); datoer kan ikke gå baglæns",
        "the date {date} is before the last {what} ({last}); dates cannot run backwards",
    ),
    "err.date_before_created": (
        "datoen {date} ligger før {what} blev oprettet ({first})",
        "the date {date} is before {what} was created ({first})",
    ),
    "err.reopen_first": (
        " (genåbn det først: portefolje project reopen {code} --reason …)",
        " (reopen it first: portefolje project reopen {code} --reason …)",
    ),
    "err.already_closed": ("det er allerede afsluttet", "it is already closed"),
    "err.only_pause": (
        "kun et aktivt projekt kan sættes på pause",
        "only an active project can be paused",
    ),
    "err.only_resume": (
        "kun et projekt på pause kan genoptages",
        "only a paused project can be resumed",
    ),
    "err.only_close": (
        "kun et aktivt projekt eller et projekt på pause kan afsluttes",
        "only an active or paused project can be closed",
    ),
    "err.only_reopen": (
        "kun et afsluttet projekt kan genåbnes",
        "only a closed project can be reopened",
    ),
    "err.only_approve": (
        "kun et foreslået projekt kan godkendes",
        "only a proposed project can be approved",
    ),
    "err.only_reject": (
        "kun et foreslået projekt kan afvises",
        "only a proposed project can be rejected",
    ),
    "err.transition": (
        "projekt {code} er {status}; {how}{hint}",
        "project {code} is {status}; {how}{hint}",
    ),
    "err.invalid_code": (
        "ugyldig kode {code!r}: brug 1-20 bogstaver, cifre, '.', '_' eller '-', ikke kun cifre",
        "invalid code {code!r}: use 1-20 letters, digits, '.', '_' or '-', not only digits",
    ),
    "err.choice": (
        "ukendt {what} {value!r}: vælg en af {choices}",
        "invalid {what} {value!r}: choose one of {choices}",
    ),
    "err.choice_word": ("{word} ({translated})", "{word} ({translated})"),
    "err.required": (
        "angiv {what}; feltet må ikke være tomt",
        "{what} is required and must not be empty",
    ),
    "err.solution_already": (
        "løsning {code} har allerede status {status}",
        "solution {code} is already {status}",
    ),
    "err.solution_final": (
        "løsning {code} har status {status}; det er endeligt",
        "solution {code} is {status}; that is final",
    ),
    "err.solution_back": (
        "løsning {code} går tilbage fra {a} til {b}; skriv hvorfor med --note",
        "solution {code} goes back from {a} to {b}; say why with --note",
    ),
    "err.prior_after_moved": (
        "forbehandlingen den {date} ville komme efter det nye møde den {meeting}; angiv den nye forbehandling med --prior UDVALG:DATO (eller --prior none)",
        "the prior handling on {date} would come after the new meeting on {meeting}; give the new prior handling with --prior COMMITTEE:DATE (or --prior none)",
    ),
    "err.prior_after": (
        "forbehandlingen den {date} ligger efter mødet den {meeting}; forbehandling skal komme først (registrér en senere orientering som sin egen leverance)",
        "prior handling on {date} is after the meeting on {meeting}; prior handling must come first (register a later briefing as its own deliverable)",
    ),
    "err.deliverable_same_date": (
        "leverance {code} er allerede planlagt til {date}",
        "deliverable {code} is already planned for {date}",
    ),
    "err.postpone_earlier": (
        "{date} ligger før det planlagte møde den {current}: det er en fremrykning, ikke en udsættelse (brug `portefolje deliverable advance {code}`)",
        "{date} is before the planned meeting on {current}: that is bringing the case forward, not a postponement (use `portefolje deliverable advance {code}`)",
    ),
    "err.advance_later": (
        "{date} ligger efter det planlagte møde den {current}: det er en udsættelse (brug `portefolje deliverable postpone {code}`)",
        "{date} is after the planned meeting on {current}: that is a postponement (use `portefolje deliverable postpone {code}`)",
    ),
    "err.invalid_prior": (
        "ugyldig forbehandling {text!r}: skriv UDVALG:DATO, fx BUU:2019-01-22",
        "invalid prior handling {text!r}: write COMMITTEE:DATE, e.g. BUU:2019-01-22",
    ),
    "what.status_change": ("statusændring", "status change"),
    "what.phase_change": ("faseskift", "phase change"),
    "what.assessment": ("vurdering", "assessment"),
    "what.record": ("{kind} {code}", "{kind} {code}"),
    "what.change_of": ("ændring af {kind} {code}", "change of {kind} {code}"),
    "what.move_of": ("flytning af {kind} {code}", "move of {kind} {code}"),
    "what.step_of": ("trin for {kind} {code}", "step of {kind} {code}"),
    "what.assessment_of": ("vurdering af {kind} {code}", "assessment of {kind} {code}"),
    "what.postponement_of": ("udsættelse af {kind} {code}", "postponement of {kind} {code}"),
    "what.status_change_of": ("statusændring for {kind} {code}", "status change of {kind} {code}"),
    "what.score_of": (
        "score for projekt {project} på {criterion}",
        "score of project {project} on {criterion}",
    ),
    "what.title": ("en titel", "a title"),
    "what.name": ("et navn", "a name"),
    "what.field_title": ("en titel", "title"),
    "what.field_name": ("et navn", "name"),
    "what.owner": ("en ansvarlig", "an owner"),
    "what.owner_role": (
        "en ansvarlig (--owner, en rolle som 'programsekretariatet')",
        "an owner (--owner, a role such as 'programsekretariatet')",
    ),
    "what.decision_text": ("beslutningens tekst", "the decision's text"),
    "what.initiative": ("initiativet (--on-external)", "the initiative (--on-external)"),
    "what.reason_remove_project": (
        "en begrundelse (--reason) for at fjerne et projekt",
        "a reason (--reason) to remove a project",
    ),
    "what.reason_remove_segment": (
        "en begrundelse (--reason) for at fjerne et segment",
        "a reason (--reason) to remove a segment",
    ),
    "what.reason_remove_solution": (
        "en begrundelse (--reason) for at fjerne en løsning",
        "a reason (--reason) to remove a solution",
    ),
    "what.reason_remove_milestone": (
        "en begrundelse (--reason) for at fjerne en milepæl",
        "a reason (--reason) to remove a milestone",
    ),
    "what.reason_remove_deliverable": (
        "en begrundelse (--reason) for at fjerne en leverance",
        "a reason (--reason) to remove a deliverable",
    ),
    "what.reason_remove_indicator": (
        "en begrundelse (--reason) for at fjerne et effektmål",
        "a reason (--reason) to remove an indicator",
    ),
    "what.reason_remove_measurement": (
        "en begrundelse (--reason) for at fjerne en måling",
        "a reason (--reason) to remove a measurement",
    ),
    "what.reason_remove_saving": (
        "en begrundelse (--reason) for at fjerne en besparelse",
        "a reason (--reason) to remove a saving",
    ),
    "what.reason_remove_investment": (
        "en begrundelse (--reason) for at fjerne en investering",
        "a reason (--reason) to remove an investment",
    ),
    "what.reason_remove_target": (
        "en begrundelse (--reason) for at fjerne et sparemål",
        "a reason (--reason) to remove a target",
    ),
    "what.reason_remove_coverage": (
        "en begrundelse (--reason) for at fjerne en dækning",
        "a reason (--reason) to remove a coverage",
    ),
    "what.reason_remove_risk": (
        "en begrundelse (--reason) for at fjerne en risiko",
        "a reason (--reason) to remove a risk",
    ),
    "what.reason_remove_meeting": (
        "en begrundelse (--reason) for at fjerne et møde",
        "a reason (--reason) to remove a meeting",
    ),
    "what.reason_remove_decision": (
        "en begrundelse (--reason) for at fjerne en beslutning",
        "a reason (--reason) to remove a decision",
    ),
    "what.reason_remove_action": (
        "en begrundelse (--reason) for at fjerne en handling",
        "a reason (--reason) to remove an action",
    ),
    "what.reason_remove_criterion": (
        "en begrundelse (--reason) for at fjerne et kriterium",
        "a reason (--reason) to remove a criterion",
    ),
    "what.reason_pause_project": (
        "en begrundelse (--reason) for at sætte et projekt på pause",
        "a reason (--reason) to pause a project",
    ),
    "what.reason_reopen_project": (
        "en begrundelse (--reason) for at genåbne et projekt",
        "a reason (--reason) to reopen a project",
    ),
    "what.reason_reject_project": (
        "en begrundelse (--reason) for at afvise et projekt",
        "a reason (--reason) to reject a project",
    ),
    "what.reason_reject_segment": (
        "en begrundelse (--reason) for at afvise et segment",
        "a reason (--reason) to reject a segment",
    ),
    "what.reason_undeliver": (
        "en begrundelse (--reason) for at trække en levering tilbage",
        "a reason (--reason) to take back a delivery",
    ),
    "what.reason_cancel_deliverable": (
        "en begrundelse (--reason) for at aflyse en leverance",
        "a reason (--reason) to cancel a deliverable",
    ),
    "what.reason_postpone_deliverable": (
        "en begrundelse (--reason) for at udsætte en leverance",
        "a reason (--reason) to postpone a deliverable",
    ),
    "what.reason_advance_deliverable": (
        "en begrundelse (--reason) for at fremrykke en leverance",
        "a reason (--reason) to bring forward a deliverable",
    ),
    "what.reason_undone_milestone": (
        "en begrundelse (--reason) for at markere en milepæl som ikke nået",
        "a reason (--reason) to mark a milestone as not met",
    ),
    "what.reason_cancel_milestone": (
        "en begrundelse (--reason) for at aflyse en milepæl",
        "a reason (--reason) to cancel a milestone",
    ),
    "what.reason_move_milestone": (
        "en begrundelse (--reason) for at flytte en milepæl",
        "a reason (--reason) to move a milestone",
    ),
    "what.reason_undone_action": (
        "en begrundelse (--reason) for at markere en handling som ikke udført",
        "a reason (--reason) to mark an action as not done",
    ),
    "what.status": ("status", "status"),
    "what.phase": ("fase", "phase"),
    "what.colour": ("farve", "colour"),
    "what.dimension": ("dimension", "dimension"),
    "what.kind": ("type", "kind"),
    "what.category": ("kategori", "category"),
    "what.stage": ("stade", "stage"),
    "err.year_and_from_year": (
        "angiv --year for et enkelt år eller --from-year for et tilbagevendende beløb, ikke begge",
        "give --year for a single year or --from-year for a recurring amount, not both",
    ),
    "err.year_or_from_year": (
        "angiv --year ÅR (et enkelt år) eller --from-year ÅR (tilbagevendende)",
        "give --year YEAR (a single year) or --from-year YEAR (recurring)",
    ),
    "err.saving_not_in_force": (
        "besparelse {code} var ikke gældende den dag (se --as-of)",
        "saving {code} was not in force on that day (see --as-of)",
    ),
    "err.invalid_index": (
        "ugyldig indeksværdi {value!r}: skriv et positivt tal under {limit}, fx 102,4",
        "invalid index value {value!r}: write a positive number below {limit} such as 102.4",
    ),
    "err.not_yet_registered": (
        "projekt {code} var endnu ikke registreret den {date}",
        "project {code} was not yet registered on {date}",
    ),
    "err.index_range": (
        "ugyldig indeksværdi {value!r}: et indeks er et positivt tal under {limit}",
        "invalid index value {value!r}: an index is a positive number below {limit}",
    ),
    "err.unknown_format": (
        "ukendt format {format!r}: vælg en af {choices}",
        "unknown format {format!r}: choose one of {choices}",
    ),
    "err.out_needs_ics": (
        "--out skriver en kalenderfil: brug det med --format ics",
        "--out writes a calendar file: use it with --format ics",
    ),
    "err.invalid_measurement": (
        "ugyldig værdi {value!r}: skriv et tal som 12, 12,5 eller 45 %",
        "invalid value {value!r}: write a number such as 12, 12,5 or 45 %",
    ),
    "err.value_required": ("angiv en værdi", "a value is required"),
    "err.date_hint": (
        "brug 2019-01-16, 16/1 2019, 16.01.2019, 16. januar 2019, juni 2019, Q2 2019, 1. halvår 2019, ultimo juni 2019, i dag eller +30d",
        "use 2019-01-16, 16/1 2019, 16.01.2019, 16. januar 2019, juni 2019, Q2 2019, 1. halvår 2019, ultimo juni 2019, today or +30d",
    ),
    "err.date_range": (
        "ugyldig dato {text!r}: datoer går fra {first} til {last}",
        "invalid date {text!r}: dates run from {first} to {last}",
    ),
    "err.date_two_digit_year": (
        "ugyldig dato {text!r}: skriv året med fire cifre ({hint})",
        "invalid date {text!r}: write the year with four digits ({hint})",
    ),
    "err.date_no_month": (
        "ugyldig dato {text!r}: der er ingen måned {month}",
        "invalid date {text!r}: there is no month {month}",
    ),
    "err.date_no_day": (
        "ugyldig dato {text!r}: {month} {year} har {last} dage",
        "invalid date {text!r}: {month} {year} has {last} days",
    ),
    "err.date_month_name": (
        "ukendt måned {name!r} i {text!r} ({hint})",
        "unrecognised month {name!r} in {text!r} ({hint})",
    ),
    "err.date_moved_out": (
        "datoen er uden for det mulige: {date} flyttet {months} måneder",
        "date out of range: {date} moved by {months} months",
    ),
    "err.date_empty": ("tom dato ({hint})", "empty date ({hint})"),
    "err.date_unrecognised": ("ukendt dato {text!r}: {hint}", "unrecognised date {text!r}: {hint}"),
    "err.not_a_day": (
        "{text!r} er {period}, ikke en dag: skriv en dag som 19/6 2019, 2019-06-19 eller 19. juni 2019",
        "{text!r} is {period}, not a day: write a day such as 19/6 2019, 2019-06-19 or 19. juni 2019",
    ),
    "err.invalid_year": (
        "ugyldigt år {text!r}: skriv et firecifret år som 2019",
        "invalid year {text!r}: write a four-digit year such as 2019",
    ),
    "period.quarter": ("et kvartal", "a quarter"),
    "period.half_year": ("et halvår", "a half-year"),
    "period.month": ("en måned", "a month"),
    "period.primo_month": ("'primo' i en måned", "'primo' of a month"),
    "period.medio_month": ("'medio' i en måned", "'medio' of a month"),
    "period.ultimo_month": ("'ultimo' i en måned", "'ultimo' of a month"),
    "period.primo_year": ("'primo' i et år", "'primo' of a year"),
    "period.medio_year": ("midten af et år", "mid-year"),
    "period.ultimo_year": ("'ultimo' i et år", "'ultimo' of a year"),
    "month.1": ("januar", "January"),
    "month.2": ("februar", "February"),
    "month.3": ("marts", "March"),
    "month.4": ("april", "April"),
    "month.5": ("maj", "May"),
    "month.6": ("juni", "June"),
    "month.7": ("juli", "July"),
    "month.8": ("august", "August"),
    "month.9": ("september", "September"),
    "month.10": ("oktober", "October"),
    "month.11": ("november", "November"),
    "month.12": ("december", "December"),
    "err.amount_hint": (
        "skriv beløb som 4000000, 4.000.000, 4,5 mio. kr. eller 978 t.kr.",
        "write amounts like 4000000, 4.000.000, 4,5 mio. kr. or 978 t.kr.",
    ),
    "err.amount_invalid": ("ugyldigt beløb {value!r}: {hint}", "invalid amount {value!r}: {hint}"),
    "err.amount_not_whole": (
        "ugyldigt beløb {value!r}: beløb er hele kroner",
        "invalid amount {value!r}: amounts are whole kroner",
    ),
    "err.amount_too_large": (
        "ugyldigt beløb {value}: for stort",
        "invalid amount {value}: too large",
    ),
    "err.amount_empty": ("tomt beløb: {hint}", "empty amount: {hint}"),
    "err.amount_ambiguous": (
        "tvetydigt beløb {value!r}: punktum adskiller tusinder på dansk, så skriv 1,5 for halvanden eller 1.500 for femtenhundrede",
        "ambiguous amount {value!r}: a dot separates thousands in Danish, so write 1,5 for one and a half or 1.500 for fifteen hundred",
    ),
    "err.amount_ore": (
        "ugyldigt beløb {value!r}: beløb er hele kroner (øre registreres ikke)",
        "invalid amount {value!r}: amounts are whole kroner (øre are not registered)",
    ),
    "err.invalid_area": (
        "ukendt styringsområde {value!r}: vælg service, overforsler, indsats eller anlaeg",
        "invalid budget area {value!r}: choose service, overforsler, indsats or anlaeg",
    ),
    "err.invalid_share": (
        "ugyldig andel {text!r}: skriv en brøk (1/3), en procent (50%) eller et decimaltal (0,5)",
        "invalid share {text!r}: write a fraction (1/3), a percentage (50%) or a decimal (0,5)",
    ),
    "err.share_range": (
        "ugyldig andel {text!r}: en andel er over 0 og højst det hele",
        "invalid share {text!r}: a share is more than 0 and at most the whole",
    ),
    "err.invalid_key": (
        "ugyldig --key {item!r}: skriv AFDELING=ANDEL, fx SF=1/3",
        "invalid --key {item!r}: write DEPARTMENT=SHARE, e.g. SF=1/3",
    ),
    "err.key_twice": (
        "en afdeling står to gange i fordelingsnøglen",
        "a department appears twice in the distribution key",
    ),
    "err.key_sum": (
        "fordelingsnøglen summer til {total}, ikke det hele; andelene skal give præcis 1 tilsammen (fx SF=1/3 BA=1/3 SPO=1/3)",
        "the distribution key sums to {total}, not the whole; shares must add up to exactly 1 (e.g. SF=1/3 BA=1/3 SPO=1/3)",
    ),
    "err.no_price_level": (
        "{what} har intet prisniveau og kan derfor ikke vises i {level}-p/l; angiv --price-level på linjen, eller lav rapporten uden --price-level",
        "{what} has no price level, so it cannot be shown in {level} p/l; set its --price-level, or report without --price-level",
    ),
    "err.no_index": (
        "intet pris- og lønindeks for {years}: tilføj det med `portefolje index set {first} VÆRDI` (tal blandes aldrig på tværs af prisniveauer)",
        "no price index for {years}: add it with `portefolje index set {first} VALUE` (figures are never mixed across levels)",
    ),
    "err.year_xor_from_year": (
        "angiv et år (et enkelt år) eller et fra-år (tilbagevendende), ikke begge",
        "give a year (a single year) or a from-year (recurring), not both",
    ),
    "err.realised_needs_stage": (
        "et realiseret beløb hører til en dokumenteret eller budgetlagt besparelse; angiv stadet (--stage documented) sammen med det",
        "a realised amount belongs to a documented or budgeted saving; set the stage (--stage documented) with it",
    ),
    "err.attribution_range": (
        "den henførbare andel er en hel procent fra 0 til 100",
        "the attributable share is a whole percentage from 0 to 100",
    ),
    "err.attribution_note": (
        "en besparelse, der kun delvis kan henføres til projektet, skal have en --note om hvorfor (hvad ellers forklarer ændringen)",
        "a saving only partly attributable to the project needs a --note saying why (what else explains the change)",
    ),
    "err.one_off_year": (
        "engangsmidler dækker ét år: angiv --year, ikke --from-year",
        "one-off money (engangsmidler) covers one year: give --year, not --from-year",
    ),
    "err.invalid_fte": (
        "ugyldigt antal årsværk {text!r}: skriv et tal med højst én decimal, fx 5 eller 17,5",
        "invalid staff years {text!r}: write a number with at most one decimal, e.g. 5 or 17,5",
    ),
    "err.invalid_percent": (
        "ugyldig procent {text!r}: skriv et helt tal fra 0 til 100",
        "invalid percentage {text!r}: write a whole number from 0 to 100",
    ),
    "err.invalid_coverage_kind": (
        "ukendt dækningstype {value!r}: vælg frame-cut (rammebesparelse), one-off (engangsmidler) eller budget-transfer (budgetomplacering)",
        "invalid coverage kind {value!r}: choose frame-cut (rammebesparelse), one-off (engangsmidler) or budget-transfer (budgetomplacering)",
    ),
    "err.invalid_investment_status": (
        "ukendt investeringsstatus {value!r}: vælg applied (ansøgt), granted (bevilget) eller rejected (afslået)",
        "invalid investment status {value!r}: choose applied (ansøgt), granted (bevilget) or rejected (afslået)",
    ),
    "what.a_score": ("scoren", "a score"),
    "what.the_probability": ("sandsynligheden", "the probability"),
    "what.the_consequence": ("konsekvensen", "the consequence"),
    "what.event_of": ("{what} for {code}", "{what} of {code}"),
    "err.on_scale": (
        "{what} skal være et helt tal fra 1 til 5, ikke {value}",
        "{what} must be a whole number from 1 to 5, not {value}",
    ),
    "err.state_cannot": (
        "{what} er {state}; den kan ikke {event}",
        "{what} is {state}; it cannot be {event}",
    ),
    "event.closed": ("lukkes", "closed"),
    "event.reopened": ("genåbnes", "reopened"),
    "event.done": ("markeres som udført", "done"),
    "event.undone": ("markeres som ikke udført", "undone"),
    "err.segment_only_approve": (
        "segment {code} er {status}; kun et foreslået segment kan godkendes",
        "segment {code} is {status}; only a proposed segment can be approved",
    ),
    "err.segment_only_reject": (
        "segment {code} er {status}; kun et foreslået segment kan afvises",
        "segment {code} is {status}; only a proposed segment can be rejected",
    ),
    "err.doc_segment_start": (
        "historikken for segment {code} skal begynde med forslaget (fra null til proposed)",
        "segment {code}'s history must start with its proposal (from null to proposed)",
    ),
    "err.doc_segment_order": (
        "segment {code}: trinnet den {b} kommer før trinnet den {a}",
        "segment {code}: the step on {b} comes before the one on {a}",
    ),
    "err.segment_step": (
        "segment {code} kan ikke gå fra {a} til {b} (den {date})",
        "segment {code} cannot go from {a} to {b} (on {date})",
    ),
    "err.weight_range": (
        "et kriteriums vægt er et helt tal fra 1 til 100, ikke {value}",
        "a criterion's weight is a whole number from 1 to 100, not {value}",
    ),
    "err.doc_no_status_history": (
        "projekt {code} har ingen statushistorik; angiv mindst oprettelsen",
        "project {code} has no status history; give at least its creation",
    ),
    "err.doc_approval_decision": (
        "projekt {code}: godkendelsen den {date} skal have den beslutning, den hviler på (decision: en beslutnings kode)",
        "project {code}: the approval on {date} needs the decision it rests on (decision: a decision's code)",
    ),
    "err.doc_solution_no_history": (
        "løsning {code} har ingen historik; angiv mindst oprettelsen",
        "solution {code} has no history; give at least its creation",
    ),
    "err.doc_solution_start": (
        "historikken for løsning {code} skal begynde med oprettelsen (from: null)",
        "solution {code}'s history must start with its creation (from: null)",
    ),
    "err.doc_solution_chain": (
        "løsning {code}: et trin fra {a} følger efter et trin til {b}",
        "solution {code}: a step from {a} follows a step to {b}",
    ),
    "err.doc_move_chain": (
        "{what}: en flytning fra {a} følger efter en flytning til {b}",
        "{what}: a move from {a} follows a move to {b}",
    ),
    "err.doc_last_move": (
        "{what}: den sidste flytning går til {to}, men datoen er {due}",
        "{what}: its last move goes to {to}, but its date is {due}",
    ),
    "err.doc_not_a_state_change": (
        "{what}: {event} er ikke en ændring af tilstanden",
        "{what}: {event} is not a change of its state",
    ),
    "err.doc_state_cannot": (
        "{what} kan ikke være {event} den {date}: den er {state}",
        "{what} cannot be {event} on {date}: it is {state}",
    ),
    "err.doc_needs_reason": (
        "{what}: {event} den {date} skal have en begrundelse",
        "{what}: {event} on {date} needs a reason",
    ),
    "err.doc_version_open": (
        "{what}: kun den seneste version kan stadig være gældende",
        "{what}: only its latest version can still be in force",
    ),
    "err.doc_version_gap": (
        "{what}: en version, der slutter {end}, efterfølges af en fra {start}",
        "{what}: a version ending {end} is followed by one from {start}",
    ),
    "err.doc_version_reversed": (
        "{what}: en version slutter ({end}), før den begynder",
        "{what}: a version ends ({end}) before it begins",
    ),
    "err.doc_risk_no_assessment": (
        "risiko {code} har ingen vurdering; angiv mindst den første (dato, sandsynlighed, konsekvens)",
        "risk {code} has no assessment; give at least the first (date, probability, consequence)",
    ),
    "err.doc_risk_closed_assessed": (
        "risiko {code} vurderes den {date}, mens den var lukket",
        "risk {code} is re-assessed on {date}, while it was closed",
    ),
    "err.doc_action_due_early": (
        "handling {code} har frist {due}, før den blev bestilt ({opened})",
        "action {code} is due on {due}, before it was asked for ({opened})",
    ),
    "err.doc_segment_approval": (
        "segment {code}: godkendelsen den {date} skal have den beslutning, den hviler på",
        "segment {code}: the approval on {date} needs the decision it rests on",
    ),
    "err.doc_segment_rejection": (
        "segment {code}: afvisningen den {date} skal have en begrundelse (note)",
        "segment {code}: the rejection on {date} needs a reason (note)",
    ),
    "err.depends_on_itself": (
        "projekt {code} kan ikke afhænge af sig selv",
        "project {code} cannot depend on itself",
    ),
    "err.doc_code_twice": (
        "koden {code} står to gange i dokumentet (også ved {first}); hver post har sin egen kode",
        "the code {code} appears twice in the document (also at {first}); each record has its own",
    ),
    "err.doc_depends_twice": (
        "projekt {code} afhænger to gange af {on} fra {date}; afslut den første først",
        "project {code} depends twice on {on} from {date}; end the first one before",
    ),
    "err.cpr": (
        "afvist: {field} indeholder noget, der ligner et CPR-nummer; portefolje må ikke rumme personoplysninger, så fjern det og beskriv borgeren uden at identificere vedkommende",
        "refused: {field} contains what looks like a CPR number; portefolje must not hold personal data, so remove it and describe the citizen without identifying them",
    ),
    "err.not_utf8": (
        "afvist: {field} er ikke gyldig tekst (tegn {position} kommer fra bytes, der ikke er UTF-8); gem input som UTF-8 og prøv igen",
        "refused: {field} is not valid text (character {position} comes from bytes that are not UTF-8); save the input as UTF-8 and try again",
    ),
    "err.control_character": (
        "afvist: {field} indeholder et kontroltegn ({code} ved tegn {position}); fjern det (tabulator og linjeskift er i orden)",
        "refused: {field} holds a control character ({code} at character {position}); remove it (tab and line breaks are fine)",
    ),
    "err.transaction_lost": (
        "ændringen blev stoppet og rullet tilbage af SQLite efter en tidligere fejl; intet blev skrevet",
        "the change was stopped and rolled back by SQLite after an earlier error; nothing was written",
    ),
    "err.row_missing": ("{table} {id} findes ikke", "{table} {id} does not exist"),
    "what.command_line": ("kommandolinjen", "the command line"),
    "what.a_value": ("en værdi", "a value"),
    "what.value": ("værdien", "value"),
    "what.a_record": ("post", "record"),
    "what.table_field": ("{field} ({table})", "the {table} {field}"),
    "type.integer": ("et helt tal", "a whole number"),
    "type.real": ("et tal", "a number"),
    "type.text": ("tekst", "text"),
    "type.blob": ("binære data", "binary data"),
    "err.code_taken": (
        "koden er allerede i brug ({what}); vælg en anden --code",
        "that code is already used by another {what}; choose another --code",
    ),
    "err.exists": ("posten findes allerede ({what})", "that {what} already exists"),
    "err.referenced": (
        "{what}: posten bruges stadig af andre poster eller henviser til en, der er væk",
        "the {what} is still referenced by other records, or refers to one that is gone",
    ),
    "err.field_required": (
        "afvist: {field} ({what}) skal angives",
        "refused: the {what} {field} is required",
    ),
    "err.field_type": (
        "afvist: {field} ({what}) skal være {wanted}",
        "refused: the {what} {field} must be {wanted}",
    ),
    "err.and": ("{first} og {last}", "{first} and {last}"),
    "err.fields_misfit": (
        "afvist: {fields} ({what}) passer ikke sammen",
        "refused: the {what} {fields} do not fit together",
    ),
    "err.field_rule": ("afvist: {field} ({what}) {rule}", "refused: the {what} {field} {rule}"),
    "err.db_refused": (
        "afvist af databasen ({what}): {text}",
        "refused by the database ({what}): {text}",
    ),
    "rule.one_of": ("skal være en af: {allowed}", "must be one of: {allowed}"),
    "rule.not_allowed": ("er ikke en tilladt værdi", "is not an allowed value"),
    "rule.not_empty": ("må ikke være tom", "must not be empty"),
    "rule.date": ("skal være en dato (ÅÅÅÅ-MM-DD)", "must be a date (YYYY-MM-DD)"),
    "rule.letter": (
        "skal indeholde et bogstav (ikke kun cifre)",
        "must contain a letter (not only digits)",
    ),
    "rule.json": ("skal være gyldig JSON", "must be valid JSON"),
    "rule.between": ("skal ligge mellem {low} og {high}", "must be between {low} and {high}"),
    "rule.not_negative": ("må ikke være negativ", "must not be negative"),
    "rule.positive": ("skal være over 0", "must be more than 0"),
    "rule.other": ("har en værdi, der ikke er tilladt her", "has a value that is not allowed here"),
    "err.ambiguous_name": (
        "flere poster ({kind}) hedder {text!r}; brug koden i stedet",
        "more than one {kind} is called {text!r}; use its code instead",
    ),
    "err.not_found": (
        "{kind} {text!r} findes ikke: brug et id, en kode eller det nøjagtige navn (se `portefolje {command}`)",
        "no {kind} {text!r}: use an id, a code or the exact name (see `portefolje {command}`)",
    ),
    "err.referred_to": (
        "{kind} {code} kan ikke fjernes, fordi {found} henviser til posten (fjern eller flyt dem først)",
        "{kind} {code} cannot be removed: {found} refer to it (remove or move them first)",
    ),
    "err.new_project_status": (
        "et nyt projekt er aktivt eller foreslået (afventer en beslutning)",
        "a new project is active, or proposed (awaiting a decision)",
    ),
    "err.end_before_start": (
        "slutdatoen {end} ligger før startdatoen {start}",
        "the end date {end} is before the start date {start}",
    ),
    "what.reason_close_risk": (
        "en begrundelse (--reason) for at lukke en risiko",
        "a reason (--reason) to close a risk",
    ),
    "what.reason_reopen_risk": (
        "en begrundelse (--reason) for at genåbne en risiko",
        "a reason (--reason) to reopen a risk",
    ),
    "state.milestone.open": ("åben", "open"),
    "state.milestone.done": ("nået", "met"),
    "state.milestone.cancelled": ("aflyst", "cancelled"),
    "state.deliverable.open": ("åben", "open"),
    "state.deliverable.delivered": ("leveret", "delivered"),
    "state.deliverable.cancelled": ("aflyst", "cancelled"),
    "err.milestone_already": (
        "milepæl {code} var allerede {state} den {date}",
        "milestone {code} was already {state} on {date}",
    ),
    "err.milestone_not_met": (
        "milepæl {code} er {state}, ikke nået; der er intet at fortryde",
        "milestone {code} is {state}, not met; there is nothing to undo",
    ),
    "err.milestone_cannot_move": (
        "milepæl {code} var {state} den {date}; den kan ikke flyttes",
        "milestone {code} was {state} on {date}; it cannot move",
    ),
    "err.milestone_same_due": (
        "milepæl {code} har allerede frist {date}",
        "milestone {code} is already due on {date}",
    ),
    "err.milestone_owner": (
        "en milepæl hører til et projekt (--project) eller en portefølje (--portfolio)",
        "a milestone belongs to a project (--project) or a portfolio (--portfolio)",
    ),
    "err.deliverable_not_yet": (
        "leverance {code} fandtes endnu ikke den dag",
        "deliverable {code} did not exist yet on that day",
    ),
    "err.deliverable_already": (
        "leverance {code} var allerede {state} den {date}",
        "deliverable {code} was already {state} on {date}",
    ),
    "err.deliverable_not_delivered": (
        "leverance {code} er ikke leveret; der er intet at trække tilbage",
        "deliverable {code} is not delivered; there is nothing to take back",
    ),
    "err.deliverable_cannot_move": (
        "leverance {code} var {state} den {date}; den kan ikke flyttes",
        "deliverable {code} was {state} on {date}; it cannot move",
    ),
    "err.meeting_date": (
        "et møde har en dato; angiv den rigtige med --date",
        "a meeting has a date; give the right one with --date",
    ),
    "err.action_already_done": (
        "handling {code} var allerede udført den {date}",
        "action {code} was already done on {date}",
    ),
    "err.action_open": (
        "handling {code} er åben; der er intet at fortryde",
        "action {code} is open; there is nothing to undo",
    ),
    "err.date_before_asked": (
        "datoen {date} ligger før handling {code} blev bestilt ({opened})",
        "the date {date} is before action {code} was asked for ({opened})",
    ),
    "err.action_owner_record": (
        "en handling kommer fra en beslutning (--decision) eller hører til et projekt (--project) eller en portefølje (--portfolio)",
        "an action comes from a decision (--decision) or belongs to a project (--project) or a portfolio (--portfolio)",
    ),
    "err.action_due_early": (
        "handlingen har frist {due}, før den blev bestilt ({opened})",
        "the action is due on {due}, before it was asked for ({opened})",
    ),
    "err.risk_owner_record": (
        "en risiko hører til et projekt (--project) eller en portefølje (--portfolio)",
        "a risk belongs to a project (--project) or a portfolio (--portfolio)",
    ),
    "err.date_before_identified": (
        "datoen {date} ligger før risiko {code} blev identificeret ({first})",
        "the date {date} is before risk {code} was identified ({first})",
    ),
    "err.risk_closed": (
        "risiko {code} blev lukket den {date}; genåbn den først (portefolje risk reopen {code} --reason …)",
        "risk {code} was closed on {date}; reopen it first (portefolje risk reopen {code} --reason …)",
    ),
    "err.depends_what": (
        "angiv hvad projektet venter på: et andet projekt (--on P) eller et initiativ uden for porteføljen (--on-external TEKST)",
        "name what the project waits for: another project (--on P) or an initiative outside the portfolio (--on-external TEXT)",
    ),
    "err.depends_already": (
        "projekt {code} afhænger allerede af det (afslut det først med --end)",
        "project {code} already depends on that (end it first with --end)",
    ),
    "err.depends_circle": (
        "det ville give en ring: det andet projekt venter allerede, direkte eller gennem andre, på {code}",
        "that would be a circle: the other project already waits, directly or through others, for {code}",
    ),
    "err.depends_none": (
        "projekt {code} har ingen sådan gældende afhængighed",
        "project {code} has no such dependency in force",
    ),
    "err.depends_end_early": (
        "afhængigheden gælder fra {date}; den kan ikke slutte før det",
        "the dependency holds from {date}; it cannot end before that",
    ),
    "err.no_measurement": (
        "effektmål {code} har ingen måling den {date}",
        "indicator {code} has no measurement on {date}",
    ),
    "err.indicator_owner": (
        "et effektmål hører til et projekt (--project) eller en portefølje (--portfolio)",
        "an indicator belongs to a project (--project) or a portfolio (--portfolio)",
    ),
    "err.handed_over_needs_department": (
        "en løsning overleveret til drift skal have --handed-over-to AFDELING",
        "a handed-over solution needs --handed-over-to DEPARTMENT",
    ),
    "err.trial_reversed": (
        "afprøvningen slutter ({end}), før den begynder ({start})",
        "the trial ends ({end}) before it starts ({start})",
    ),
    "err.handed_over_which": (
        "angiv hvilken afdeling løsning {code} overleveres til: --handed-over-to A",
        "say which department solution {code} is handed over to: --handed-over-to D",
    ),
    "err.criterion_taken": (
        "portefølje {portfolio} har allerede kriteriet {name!r} ({code})",
        "portfolio {portfolio} already has the criterion {name!r} ({code})",
    ),
    "err.criterion_other_portfolio": (
        "kriterium {criterion} hører til en anden portefølje end projekt {project}; se `portefolje criterion list --portfolio …`",
        "criterion {criterion} belongs to another portfolio than project {project}; see `portefolje criterion list --portfolio …`",
    ),
    "err.approval_needs_decision": (
        "godkendelse af {what} skal hvile på en beslutning (--decision; registrér den med `portefolje decision add TEKST --meeting M`)",
        "approving {what} needs the decision it rests on (--decision; register it with `portefolje decision add TEXT --meeting M`)",
    ),
    "err.approval_before_decision": (
        "godkendelsen den {date} kommer før beslutning {code} blev truffet ({taken}); brug --date {taken} eller senere",
        "the approval on {date} comes before decision {code} was taken ({taken}); use --date {taken} or later",
    ),
    "err.solution_other_project": (
        "løsning {code} hører til et andet projekt",
        "solution {code} belongs to another project",
    ),
    "err.saving_removed": ("besparelse {code} er fjernet", "saving {code} was removed"),
    "err.saving_needs_note": (
        "besparelse {code} er {stage}: skriv hvorfor den ændres med --note (en ny note: dokumentationen bag et dokumenteret tal skal kunne spores)",
        "saving {code} is {stage}: say why it changes with --note (a new note: the evidence behind a documented figure must stay traceable)",
    ),
    "err.already_removed": ("{what} er allerede fjernet", "{what} was already removed"),
    "err.version_removed": (
        "den linje ({kind}) er fjernet; den kan ikke ændres (opret en ny)",
        "that {kind} was removed; it cannot change (add a new one)",
    ),
    "err.version_already_removed": (
        "den linje ({kind}) er allerede fjernet",
        "that {kind} was already removed",
    ),
    "err.version_order": (
        "linjen ({kind}) blev sidst ændret den {date}; en ændring kan ikke dateres før det (brug --date {date} eller senere)",
        "this {kind} last changed on {date}; a change cannot be dated before that (use --date {date} or later)",
    ),
    "err.doc_approval_before_decision": (
        "{what}: godkendelsen den {date} kommer før beslutning {decision} blev truffet ({taken})",
        "{what}: the approval on {date} comes before decision {decision} was taken ({taken})",
    ),
    "err.doc_criterion_taken": (
        "kriterium {code}: portefølje {portfolio} har allerede kriteriet {name!r} ({other})",
        "criterion {code}: portfolio {portfolio} already has the criterion {name!r} ({other})",
    ),
    "err.doc_dependency_early": (
        "projekt {code}: en afhængighed fra {date} kommer før projektet blev oprettet ({created})",
        "project {code}: a dependency from {date} comes before the project was created ({created})",
    ),
    "err.doc_criterion_other": (
        "projekt {code}: kriterium {criterion} hører til en anden portefølje",
        "project {code}: criterion {criterion} belongs to another portfolio",
    ),
    "err.doc_score_early": (
        "projekt {code}: scoren på {criterion} fra {date} kommer før projektets oprettelse eller en tidligere score",
        "project {code}: the score on {criterion} of {date} comes before the project's creation or an earlier score",
    ),
    "err.doc_owner": (
        "{what} hører til et projekt eller en portefølje (én af dem)",
        "{what} belongs to a project or a portfolio (one of them)",
    ),
    "err.doc_action_owner": (
        "handling {code} kommer fra en beslutning eller hører til et projekt eller en portefølje",
        "action {code} comes from a decision or belongs to a project or a portfolio",
    ),
    "err.doc_segment_active": (
        "segment {code} er aktivt; det kan ikke blive et forslag igen",
        "segment {code} is active; it cannot become a proposal again",
    ),
    "err.doc_segment_needs_decision": (
        "segment {code}: en godkendelse skal have sin beslutning; føj den til historikken (to: active, decision: …)",
        "segment {code}: an approval needs its decision; add it to the history (to: active, decision: …)",
    ),
    "err.doc_criterion_move": (
        "kriterium {code} kan ikke flyttes til en anden portefølje; opret et nyt kriterium",
        "criterion {code} cannot move to another portfolio; add a new criterion",
    ),
    "err.doc_segment_registered": (
        "segment {code} er allerede registreret; det kan ikke foreslås på ny",
        "segment {code} is already registered; it cannot be proposed anew",
    ),
    "err.doc_action_fixed": (
        "handling {code}: dens {field} ændres ikke, når den først er givet; opret en ny handling (og markér den gamle som udført)",
        "action {code}: its {field} does not change once given; add a new action (and mark the old one done)",
    ),
    "err.doc_no_step": (
        "{what}: intet trin går fra {a} til {b}",
        "{what}: no step goes from {a} to {b}",
    ),
    "err.doc_status_no_step": (
        "status: intet trin går fra {a} til {b}; føj trinnene til historikken",
        "status: no step goes from {a} to {b}; add the steps to the history",
    ),
    "err.doc_cannot_be": ("en {kind} kan ikke være {event}", "a {kind} cannot be {event}"),
    "err.doc_line_removed": (
        "{key} {code} blev fjernet den {date}; opret en ny linje",
        "{key} {code} was removed on {date}; add a new line",
    ),
    "err.doc_unknown_code": (
        "{where}: {kind} med koden {code!r} findes hverken i dokumentet eller databasen",
        "{where}: no {kind} with code {code!r} in the document or the database",
    ),
    "err.no_format_file": (
        "sendt rapport {code} har ingen {format}-fil",
        "published report {code} has no {format} file",
    ),
    "err.migrations_sequence": (
        "migreringsfilerne er ikke i rækkefølge ved {name}",
        "migration files are out of sequence at {name}",
    ),
    "err.busy_timeout_range": (
        "--busy-timeout skal være et antal sekunder fra 0 til {most}",
        "--busy-timeout must be a number of seconds from 0 to {most}",
    ),
    "err.journal_mode": (
        "PORTEFOLJE_JOURNAL_MODE={value!r} er ikke en journaltilstand, portefolje kender: brug wal eller delete (rollback), eller fjern variablen",
        "PORTEFOLJE_JOURNAL_MODE={value!r} is not a journal mode portefolje knows: use wal or delete (rollback), or unset it",
    ),
    "err.wal_on_share": (
        "{path} ligger på et netværksdrev, hvor SQLites WAL-tilstand kan ødelægge databasen; fjern PORTEFOLJE_JOURNAL_MODE=wal (der bruges rollback-journal)",
        "{path} is on a network share, where SQLite's WAL mode can corrupt the database; unset PORTEFOLJE_JOURNAL_MODE=wal (rollback-journal mode is used there)",
    ),
    "err.reason_not_sqlite": ("ikke en SQLite-database", "not an SQLite database"),
    "err.reason_other_program": (
        "den tilhører et andet program (application id {id})",
        "it belongs to another program (application id {id})",
    ),
    "err.reason_other_tables": (
        "den indeholder et andet programs tabeller",
        "it holds tables of another program",
    ),
    "err.reason_schema_not_ours": (
        "skemaversion {version}, men ikke portefoljes tabeller",
        "schema version {version} but not portefolje's tables",
    ),
    "err.no_database": (
        "ingen database i {path}; opret den med `portefolje init` (eller angiv --db STI)",
        "no database at {path}; create it with `portefolje init` (or pass --db PATH)",
    ),
    "err.cannot_read": ("kan ikke læse {path}: {reason}", "cannot read {path}: {reason}"),
    "err.not_ours": (
        "{path} er ikke en portefolje-database ({reason}); den blev ikke rørt",
        "{path} is not a portefolje database ({reason}); it was not touched",
    ),
    "err.schema_newer": (
        "{path} har skemaversion {version}, nyere end denne portefolje forstår ({latest}); opgradér portefolje for at bruge den (filen blev ikke rørt)",
        "{path} has schema version {version}, newer than this portefolje understands ({latest}); upgrade portefolje to use it (the file was not touched)",
    ),
    "err.upgrade_read_only": (
        "{path} har skemaversion {version} og skal opgraderes til {latest}, men den er skrivebeskyttet her; kør `portefolje init` der, hvor filen og dens mappe kan skrives",
        "{path} has schema version {version} and needs an upgrade to {latest}, but it is read-only here; run `portefolje init` where the file and its folder can be written",
    ),
    "err.read_only_wal": (
        "kan ikke læse {path} her: den er skrivebeskyttet og i WAL-tilstand, og SQLite skal oprette {name}-shm ved siden af ({error}); kopiér filen et sted hen, hvor der kan skrives",
        "cannot read {path} here: it is read-only and in WAL mode, and SQLite needs to create {name}-shm beside it ({error}); copy the file somewhere writable",
    ),
    "err.disk_full": (
        "disken er fuld, så SQLite kunne ikke skrive",
        "the disk is full, so SQLite could not write",
    ),
    "err.db_disk_full": (
        "{full}: intet blev ændret i databasen{where}; frigør plads og prøv igen",
        "{full}: nothing was changed in the database{where}; free some space and try again",
    ),
    "err.db_locked": (
        "databasen{where} er låst af en anden portefolje-proces; intet blev ændret. Prøv igen, eller hæv --busy-timeout",
        "the database{where} is locked by another portefolje process; nothing was changed. Try again, or raise --busy-timeout",
    ),
    "err.db_read_only": (
        "databasen{where} er skrivebeskyttet her; intet blev ændret",
        "the database{where} is read-only here; nothing was changed",
    ),
    "err.db_cannot_open": (
        "kan ikke åbne eller oprette databasen{where}: tjek at mappen findes og kan skrives (unable to open database file)",
        "cannot open or create the database{where}: check that its folder exists and can be written (unable to open database file)",
    ),
    "err.db_io": (
        "disken meldte en fejl under skrivning af databasen{where} (disk I/O error); intet blev ændret. Tjek drevet eller netværksdrevet, og kør så `portefolje db check`",
        "the disk reported an error while writing the database{where} (disk I/O error); nothing was changed. Check the drive or share, then run `portefolje db check`",
    ),
    "err.db_other": ("databasefejl{where}: {text}", "database error{where}: {text}"),
    "err.backup_before_upgrade": (
        "{error}; {path} blev ikke opgraderet og er som før",
        "{error}; {path} was not upgraded and is as it was",
    ),
    "err.backup_exists": (
        "{path} findes allerede; vælg et andet navn (en sikkerhedskopi overskriver aldrig)",
        "{path} already exists; choose another name (backups never overwrite)",
    ),
    "err.backup_check": (
        "sikkerhedskopien bestod ikke sin kontrol ({problem}); der blev ikke taget en sikkerhedskopi",
        "the backup failed its check ({problem}); no backup was made",
    ),
    "err.backup_incomplete": (
        "sikkerhedskopien blev ikke skrevet helt; der blev ikke taget en sikkerhedskopi",
        "the backup was not completely written; no backup was made",
    ),
    "err.backup_write": (
        "kunne ikke skrive sikkerhedskopien {path}: {error}",
        "could not write the backup {path}: {error}",
    ),
    "err.migration_incomplete": (
        "en migrering slutter med en ufuldstændig sætning: {text!r}",
        "a migration ends in an incomplete statement: {text!r}",
    ),
    "what.the_database": ("databasen", "the database"),
    "err.upgrade_disk_full_version": (
        "kunne ikke opgradere {path} til skemaversion {version}: {full}; den er som før (version {current}); frigør plads og kør kommandoen igen",
        "could not upgrade {path} to schema version {version}: {full}; it was left as it was (version {current}); free some space and run the command again",
    ),
    "err.upgrade_disk_full": (
        "kunne ikke opgradere {path}: {full}; den er som før; frigør plads og kør kommandoen igen",
        "could not upgrade {path}: {full}; it was left as it was; free some space and run the command again",
    ),
    "err.migration_failed": (
        "migrering {name} fejlede og blev rullet tilbage: {error}; databasen er som før",
        "migration {name} failed and was rolled back: {error}; the database was left as it was",
    ),
    "err.upgrade_reference": (
        "opgraderingen ville bryde en henvisning i tabellen {table} (række {row}); den blev rullet tilbage, og databasen er som før",
        "the upgrade would break a reference in table {table} (row {row}); it was rolled back and the database left as it was",
    ),
    "err.anchor_format": (
        "et anker er RÆKKER:HASH, som `portefolje history anchor` skriver det (et antal rækker, et kolon og 64 hexadecimale cifre)",
        "an anchor is ROWS:HASH as `portefolje history anchor` prints it (a row count, a colon and 64 hexadecimal digits)",
    ),
    "check.batch_unreadable": (
        "journalrække {row} skulle rumme en række poster, men de kan ikke læses (ændret uden om portefolje)",
        "journal row {row} should hold a batch of records, but they cannot be read (altered outside portefolje)",
    ),
    "check.altered": (
        "journalen er ændret ved række {row}",
        "the journal has been altered at row {row}",
    ),
    "check.fewer_rows": (
        "journalen har {count} rækker, færre end ankerets {rows}: der er fjernet rækker",
        "the journal has {count} rows, fewer than the {rows} of the anchor: rows were removed",
    ),
    "check.anchor_changed": (
        "række {rows} i journalen bærer ikke længere ankerets hash: rækker op til ankeret er fjernet eller ændret, og kæden genberegnet",
        "row {rows} of the journal no longer carries the anchored hash: rows up to the anchor were removed or changed, and the chain recomputed",
    ),
    "check.anchor_not_empty": (
        "ankerets hash hører ikke til en tom journal",
        "the anchor's hash does not belong to an empty journal",
    ),
    "check.on_parent_list": (
        "journalføres på den overordnede post ({parent}) som en liste, ikke række for række",
        "journaled on its {parent} as a list, not row by row",
    ),
    "check.link_table": (
        "en koblingstabel uden id: journalføres på sin overordnede post",
        "a link table without ids: journaled on its parent",
    ),
    "check.added_outside": (
        "findes ikke i journalen: tilføjet uden om portefolje",
        "is not in the journal: added outside portefolje",
    ),
    "check.deleted_outside": (
        "mangler, selv om journalen aldrig har fjernet den: slettet uden om portefolje",
        "is missing, though the journal never removed it: deleted outside portefolje",
    ),
    "check.put_back_outside": (
        "findes, selv om journalen har fjernet den: sat tilbage uden om portefolje",
        "is present, though the journal removed it: put back outside portefolje",
    ),
    "check.changed_outside": (
        "afviger fra sin seneste journalførte værdi: ændret uden om portefolje",
        "differs from its last journaled value: changed outside portefolje",
    ),
    "check.record_code": ("{table} {code} (id {id})", "{table} {code} (id {id})"),
    "check.record_id": ("{table} id {id}", "{table} id {id}"),
    "check.column": (", kolonne {column}", ", column {column}"),
    "check.schema_missing": ("mangler {kind} {name}", "missing {kind} {name}"),
    "check.schema_unexpected": ("uventet {kind} {name}", "unexpected {kind} {name}"),
    "check.schema_different": (
        "{kind} {name} er defineret anderledes",
        "{kind} {name} is defined differently",
    ),
    "err.no_database_at": ("ingen database i {path}", "no database at {path}"),
    "err.reason_no_tables": ("ingen portefolje-tabeller", "no portefolje tables"),
    "err.not_ours_plain": (
        "{path} er ikke en portefolje-database ({reason})",
        "{path} is not a portefolje database ({reason})",
    ),
    "err.ro_schema_newer": (
        "{path} har skemaversion {found}, nyere end denne portefolje læser ({wanted}); opgradér portefolje",
        "{path} has schema version {found}, newer than this portefolje reads ({wanted}); upgrade portefolje",
    ),
    "err.ro_schema_older": (
        "{path} har skemaversion {found}, ikke {wanted}: den læses, som den er, og opgraderes aldrig her; opgradér den med `portefolje --db {path} init`, der hvor den opbevares",
        "{path} has schema version {found}, not {wanted}: it is read as it is and never upgraded here; upgrade it with `portefolje --db {path} init` where it is kept",
    ),
    "err.no_archive": (
        "intet arkiv med samlede rapporter i {path}",
        "no archive of consolidated reports at {path}",
    ),
    "err.archive_is_db": ("en portefolje-database", "a portefolje database"),
    "err.archive_other": ("ikke et arkiv af den slags", "not an archive of this kind"),
    "err.archive_wrong": (
        "{path} er {what}; --archive skal have sin egen fil til samlede rapporter (angiv et nyt filnavn); den blev ikke rørt",
        "{path} is {what}; --archive takes a file of its own for consolidated reports (give a new file name); it was not touched",
    ),
    "err.no_consolidated": (
        "ingen samlet rapport {ref!r} i arkivet (se `report archive list`)",
        "no consolidated report {ref!r} in the archive (see `report archive list`)",
    ),
    "err.consolidated_no_file": (
        "samlet rapport {code} har ingen {format}-fil",
        "consolidated report {code} has no {format} file",
    ),
    "file.link": ("et symbolsk link", "a symbolic link"),
    "file.folder": ("en mappe", "a folder"),
    "file.fifo": ("en navngivet pipe (FIFO)", "a named pipe (FIFO)"),
    "file.device": ("en enhed", "a device"),
    "file.socket": ("en socket", "a socket"),
    "file.not_regular": ("ikke en almindelig fil", "not a regular file"),
    "err.path_part_is_file": (
        "kan ikke skrive {path}: en del af stien er en fil",
        "cannot write {path}: a part of the path is a file",
    ),
    "err.not_regular_file": (
        "nægter at skrive {path}: det er {what}; angiv en almindelig fil eller en ny sti (- skriver til standard output)",
        "refusing to write {path}: it is {what}; give a regular file or a new path (- writes to standard output)",
    ),
    "err.report_no_form": (
        "rapporten {report} findes ikke som {format}; brug md, html eller json",
        "the {report} report has no {format} form; use md, html or json",
    ),
    "err.out_placeholders": (
        "ugyldig --out {text!r}: pladsholderne er {{date}}, {{portfolio}} og {{format}}",
        "invalid --out {text!r}: the placeholders are {{date}}, {{portfolio}} and {{format}}",
    ),
    "err.binary_format": (
        "{format} er et binært format: angiv en fil med --out",
        "{format} is a binary format: give a file with --out",
    ),
    "err.xlsx_cell": (
        "rapporten kan ikke skrives som xlsx: en tekst på arket {sheet!r} har {length} tegn, flere end en Excel-celle kan rumme ({limit}); brug html, md eller json",
        "the report cannot be written as xlsx: a text on sheet {sheet!r} has {length} characters, more than an Excel cell holds ({limit}); use html, md or json",
    ),
    "err.changed_while_read": (
        "{path} blev ændret, mens den blev læst (nogen skrev i den); kør rapporten igen",
        "{path} changed while it was read (someone wrote to it); run the report again",
    ),
    "err.unknown_report_format": (
        "ukendt format {format!r} for denne rapport: vælg en af {choices}",
        "unknown format {format!r} for this report: choose one of {choices}",
    ),
    "err.to_before_from": (
        "--to {end} ligger før --from {start}",
        "--to {end} is before --from {start}",
    ),
    "err.since_after_as_of": (
        "--since {start} ligger efter --as-of {day}",
        "--since {start} is after --as-of {day}",
    ),
    "err.publish_needs_archive": (
        "--publish kræver --archive FIL: en samlet rapport gemmes i sin egen fil, aldrig i kilderne",
        "--publish needs --archive FILE: a consolidated report is stored in a file of its own, never in the sources",
    ),
    "err.archive_needs_publish": (
        "--archive er stedet, hvor --publish gemmer rapporten; tilføj --publish",
        "--archive is where --publish stores the report; add --publish",
    ),
    "err.file_twice": (
        "{file} er angivet to gange (også som {other})",
        "{file} is given twice (as {other} too)",
    ),
    "err.archive_is_source": (
        "--archive {path} er en af kilderne; angiv en fil for sig",
        "--archive {path} is one of the sources; give a file of its own",
    ),
    "err.check_failed": (
        "databasen bestod ikke sin kontrol: {problem}",
        "the database failed its check: {problem}",
    ),
    "err.demo_exists": (
        "{path} findes allerede; vælg en tom mappe med --out",
        "{path} already exists; choose an empty --out folder",
    ),
    "err.demo_load": (
        "eksemplet kan ikke indlæses: {path}: {reason}",
        "the example does not load: {path}: {reason}",
    ),
    "err.serve_extra": (
        'portefolje serve kræver web-tilføjelsen: pip install "portefolje[web]"',
        'portefolje serve needs the web extra: pip install "portefolje[web]"',
    ),
    "err.base_url": (
        "--base-url {value!r} skal begynde og slutte med /, fx /portefolje/",
        "--base-url {value!r} must start and end with /, e.g. /portefolje/",
    ),
    "err.read_only_here": (
        "{path} er skrivebeskyttet her (filen eller dens mappe kan ikke skrives); intet blev ændret",
        "{path} is read-only here (the file or its folder cannot be written); nothing was changed",
    ),
    "err.export_needs_out": (
        "--format {format} kræver --out (en fil til xlsx, en mappe til csv)",
        "--format {format} needs --out (a file for xlsx, a folder for csv)",
    ),
    "err.import_needs_file": (
        "angiv en fil at importere (eller --template FIL for et tomt ark)",
        "give a file to import (or --template FILE for an empty sheet)",
    ),
    "err.no_file": ("filen {path} findes ikke", "no file {path}"),
    "err.not_json": (
        "{path} er ikke et JSON-dokument: {error}",
        "{path} is not a JSON document: {error}",
    ),
    "err.too_deep": (
        "{path} er for dybt indlejret til at være et portefolje-dokument",
        "{path} is nested too deeply to be a portefolje document",
    ),
    "err.nothing_imported_one": (
        "intet blev importeret fra {name}: {path}: {reason}",
        "nothing was imported from {name}: {path}: {reason}",
    ),
    "err.nothing_imported": (
        "intet blev importeret fra {name}: {n}",
        "nothing was imported from {name}: {n}",
    ),
    "err.unknown_schema": (
        "ukendt skema {name!r}: vælg en af {choices}",
        "unknown schema {name!r}: choose one of {choices}",
    ),
    "err.unknown_encoding": (
        "ukendt tegnsæt {encoding!r} (prøv utf-8 eller cp1252)",
        "unknown encoding {encoding!r} (try utf-8 or cp1252)",
    ),
    "err.nul_bytes": (
        "filen indeholder NUL-bytes: den ligner UTF-16-tekst uden byte-order mark, eller slet ikke en tekstfil; gem den fra Excel som 'CSV UTF-8' og importér den",
        "the file holds NUL bytes: it looks like UTF-16 text without a byte-order mark, or not a text file at all; save it from Excel as 'CSV UTF-8' and import that",
    ),
    "err.utf8_or_windows": ("UTF-8- eller Windows-1252", "UTF-8 or Windows-1252"),
    "err.undecodable": (
        "byte {byte} på byteposition {position} (linje {line}) er ikke {what}-tekst; gem arket som 'CSV UTF-8' og importér det igen",
        "byte {byte} at byte position {position} (line {line}) is not {what} text; save the sheet as 'CSV UTF-8' and import it again",
    ),
    "err.csv_cell_long": (
        "linje {line}: en celle er længere end {limit} tegn, mere end noget felt rummer; tjek filen (et anførselstegn, der ikke lukkes, gør resten af filen til én celle)",
        "line {line}: a cell is longer than {limit} characters, more than any field holds; check the file (an unclosed quote makes the rest of the file one cell)",
    ),
    "err.csv_unreadable": (
        "linje {line}: CSV-filen kan ikke læses ({error})",
        "line {line}: the CSV file cannot be read ({error})",
    ),
    "err.delimiter": (
        "--delimiter skal være ét tegn (';', ',' eller tab), ikke {value!r}",
        "--delimiter must be one character (';', ',' or tab), not {value!r}",
    ),
    "err.xlsx_part": (
        "{name} er ikke en projektmappe, portefolje læser: dens del {part} fylder {mb} MB udpakket",
        "{name} is not a workbook portefolje reads: its part {part} unpacks to {mb} MB",
    ),
    "err.xlsx_not_zip": (
        "{name} er ikke en læsbar XLSX-projektmappe (ikke en zip-fil)",
        "{name} is not a readable XLSX workbook (not a zip file)",
    ),
    "err.xlsx_unreadable": (
        "{name} er ikke en læsbar XLSX-projektmappe: {error}",
        "{name} is not a readable XLSX workbook: {error}",
    ),
    "err.no_sheet": (
        "intet ark {sheet!r} i {name}; den har: {names}",
        "no sheet {sheet!r} in {name}; it has: {names}",
    ),
    "err.sheet_empty_choose": (
        "arket {sheet!r} er tomt; vælg et andet med --sheet ({names})",
        "the sheet {sheet!r} is empty; choose one with --sheet ({names})",
    ),
    "err.row_too_wide": (
        "en række er {cells} celler bred, flere end Excels {limit} kolonner",
        "a row is {cells} cells wide, more than Excel's {limit} columns",
    ),
    "err.workbook_unreadable": (
        "projektmappen kan ikke læses til ende: {error}",
        "the workbook cannot be read to the end: {error}",
    ),
    "err.cell_formula": (
        "cellen indeholder en formel ({formula}), og dens seneste resultat importeres ikke; indsæt værdierne i stedet (Indsæt → Værdier) og importér igen",
        "the cell holds a formula ({formula}), and its last result is not imported; paste the values instead (Indsæt → Værdier) and import again",
    ),
    "err.cell_error": (
        "cellen viser en Excel-fejl ({value}); skriv en værdi der",
        "the cell shows an Excel error ({value}); put a value there",
    ),
    "err.cell_too_long": (
        "cellen indeholder {length} tegn, flere end Excel tillader ({limit})",
        "the cell holds {length} characters, more than Excel allows ({limit})",
    ),
    "err.sheet_empty_rows": (
        "arket er tomt i sine første {rows} rækker",
        "the sheet is empty in its first {rows} rows",
    ),
    "err.header_cell": (
        "række {row}, kolonne {column} (en overskrift): {reason}",
        "row {row}, column {column} (a header): {reason}",
    ),
    "err.sheet_too_many_rows": (
        "arket har mere end {limit} rækker; del det op i flere filer",
        "the sheet has more than {limit} rows; split it into several files",
    ),
    "err.sheet_too_many_cells": (
        "arket har mere end {limit} celler (ved række {row}); del det op i flere filer",
        "the sheet has more than {limit} cells (at row {row}); split it into several files",
    ),
    "err.sheet_empty": (
        "arket er tomt: første række skal indeholde kolonneoverskrifterne",
        "the sheet is empty: the first row must hold the column headers",
    ),
    "err.folder_not_sheet": ("{path} er en mappe, ikke et ark", "{path} is a folder, not a sheet"),
    "err.cannot_import": (
        "kan ikke importere {name}: brug .csv eller .xlsx (eller et .json-dokument)",
        "cannot import {name}: use .csv or .xlsx (or a .json document)",
    ),
    "msg.semicolon": ("semikolon", "semicolon"),
    "msg.comma": ("komma", "comma"),
    "msg.tab": ("tabulator", "tab"),
    "msg.separated": ("{name}separeret", "{name}-separated"),
    "err.sheet_many_match": (
        "flere poster ({kind}) passer til denne række; tilføj en kodekolonne for at skelne dem",
        "more than one {kind} matches this row; add a code column to tell them apart",
    ),
    "err.sheet_same_record": (
        "samme post som række {row}; hver post må kun forekomme én gang",
        "the same record as row {row}; each record may appear once",
    ),
    "err.sheet_code_generated": (
        "denne import har allerede givet koden {code} til en ny linje uden kode højere oppe i "
        "arket; giv denne linje en anden kode, eller giv den anden linje sin egen",
        "this import already gave code {code} to a new line without a code higher up in the "
        "sheet; give this line another code, or give that line its own",
    ),
    "err.sheet_lines_match": (
        "{n} linjer passer til denne række; tilføj en kodekolonne (eller udfyld kolonnerne, der skelner dem: afdeling, område, stade, linje)",
        "{n} lines match this row; add a code column (or fill in the columns that tell them apart: department, area, stage, line)",
    ),
    "err.sheet_missing_columns": ("manglende kolonner: {columns}", "missing column(s): {columns}"),
    "err.sheet_milestone_owner": (
        "angiv hvilket projekt (eller hvilken portefølje) milepælen hører til",
        "say which project (or portfolio) the milestone belongs to",
    ),
    "err.sheet_saving_note": (
        "besparelse {code} er dokumenteret eller budgetlagt: en ændring skal have en ny note i notekolonnen om hvorfor (dokumentationen skal kunne spores)",
        "saving {code} is documented or budgeted: a change needs a new note in the note column saying why (the evidence must stay traceable)",
    ),
    "err.sheet_columns_twice": (
        "kolonnerne {first!r} og {second!r} giver begge {field}; behold én af dem",
        "the columns {first!r} and {second!r} both give the {field}; keep one of them",
    ),
    "err.sheet_kind": (
        "angiv arkets slags med --kind ({kinds}); filnavnet {name!r} siger det ikke",
        "say which kind of sheet with --kind ({kinds}); the file name {name!r} does not tell",
    ),
    "err.template_suffix": ("en skabelon er .xlsx eller .csv", "a template is .xlsx or .csv"),
    "err.export_cell": (
        "{name} {id}, felt {field!r}: {length} tegn, flere end en Excel-celle rummer ({limit}); intet blev eksporteret (forkort teksten, eller eksportér som json eller csv)",
        "{name} {id}, field {field!r}: {length} characters, more than an Excel cell holds ({limit}); nothing was exported (shorten it, or export as json or csv)",
    ),
    "err.doc_on_or_external": (
        "angiv on (et projekt) eller external (et initiativ), ikke begge",
        "give on (a project) or external (an initiative), not both",
    ),
    "err.doc_dependency_reversed": (
        "en afhængighed slutter (to) efter den begynder (from)",
        "a dependency ends (to) after it begins (from)",
    ),
    "err.doc_key_sum": (
        "fordelingsnøglens andele skal give præcis 1 tilsammen",
        "the distribution key's shares must sum to exactly 1",
    ),
    "err.doc_one_off": (
        "engangsmidler dækker ét år: angiv year, ikke from_year",
        "one-off money covers one year: give year, not from_year",
    ),
    "err.doc_score": ("score er sandsynlighed × konsekvens", "score is probability × consequence"),
    "err.doc_year_xor": (
        "angiv year (et enkelt år) eller from_year (tilbagevendende), ikke begge",
        "give year (a single year) or from_year (recurring), not both",
    ),
    "err.doc_and_more": ("; og {n} flere", "; and {n} more"),
    "err.doc_missing": ("feltet mangler", "Field required"),
    "err.doc_extra": ("ukendt felt", "Extra inputs are not permitted"),
    "err.doc_int": ("skal være et helt tal", "Input should be a valid integer"),
    "err.doc_number": ("skal være et tal", "Input should be a valid number"),
    "err.doc_text": ("skal være tekst", "Input should be a valid string"),
    "err.doc_bool": ("skal være true eller false", "Input should be a valid boolean"),
    "err.doc_list": ("skal være en liste", "Input should be a valid list"),
    "err.doc_object": ("skal være et objekt", "Input should be a valid dictionary or object"),
}
