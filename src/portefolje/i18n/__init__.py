"""The message catalogue: every word the tool shows a person, in Danish and in English.

One table of keys, each with its Danish and its English text (the modules beside this one,
merged on first use), read in two ways:

- a report is a document whose language is chosen for its readers (`report … --lang`, Danish
  by default): its builders take the language as an argument, `labels(lang)`;
- everything else a person reads on the command line — refusals, confirmations, notes, table
  headers, the journal — follows the active language: `--lang` on the root command, else
  `PORTEFOLJE_LANG`, else Danish. `msg(key, **params)` renders a key in it.

Refusals raised below the CLI (domain, store, sheets) build their message with `msg` when they
are raised; the CLI chooses the language before any command runs, so they are already in the
person's language when the boundary prints them.

This room imports nothing else of portefolje, so every other room may use it; the catalogue
itself is imported only when a message is rendered (`--version` and `--help` never load it).
"""

from __future__ import annotations

import os
from typing import Any

LANGUAGES = ("da", "en")
DEFAULT = "da"
ENVIRONMENT = "PORTEFOLJE_LANG"

_active: str | None = None
_catalogue: dict[str, tuple[str, str]] | None = None


def from_environment() -> str:
    """The language PORTEFOLJE_LANG asks for (da or en; anything else is Danish)."""
    wanted = os.environ.get(ENVIRONMENT, "").strip().lower()
    return wanted if wanted in LANGUAGES else DEFAULT


def language() -> str:
    """The active language of the command line."""
    global _active
    if _active is None:
        _active = from_environment()
    return _active


def set_language(lang: str | None) -> str:
    """Make `lang` (or, for None, the environment's choice) the active language."""
    global _active
    _active = lang if lang in LANGUAGES else from_environment()
    return _active


def catalogue() -> dict[str, tuple[str, str]]:
    """Every key with its (Danish, English) text: the modules of this package, merged."""
    global _catalogue
    if _catalogue is None:
        from portefolje.i18n import cli_messages, cli_tables, refusals, reports

        merged: dict[str, tuple[str, str]] = {}
        for part in (reports.LABELS, cli_tables.TABLES, cli_messages.MESSAGES, refusals.REFUSALS):
            merged.update(part)
        _catalogue = merged
    return _catalogue


def _index(lang: str) -> int:
    return 1 if lang == "en" else 0


def render(key: str, lang: str, params: dict[str, Any]) -> str:
    """The text of `key` in `lang` with its {placeholders} filled in. A key missing from the
    catalogue is a programming error (tests/test_i18n.py finds every key the code names)."""
    text = catalogue()[key][_index(lang)]
    return text.format(**params) if params else text


def msg(key: str, /, **params: Any) -> str:
    """`key` in the active language, e.g. msg("msg.added", kind=…, code=…)."""
    return render(key, language(), params)


def label(key: str, lang: str | None = None) -> str:
    """A label that may be missing from the catalogue (a stored value, a code): itself then."""
    pair = catalogue().get(key)
    return pair[_index(lang or language())] if pair else key


def value(word: str | None, lang: str | None = None) -> str:
    """A stored vocabulary word (a status, a colour, a stage …) as the person reads it: 'active'
    is 'aktiv' in Danish. Words the catalogue does not know (phases, already Danish) pass."""
    if word is None:
        return ""
    return label(word, lang)


def record_name(kind: str, code: str) -> str:
    """A record named by its kind and code: 'milepæl M3', 'milestone M3'."""
    return msg("what.record", kind=msg(f"kind.{kind}"), code=code)


def of(key: str, kind: str, code: str) -> str:
    """An event of a record: of("what.change_of", "milestone", "M3") is 'ændring af milepæl M3'."""
    return msg(key, kind=msg(f"kind.{kind}"), code=code)


def table_name(table: str) -> str:
    """A kind of record by its table, as a person says it: 'project event' in English (the
    table's words), 'projekthændelse' in Danish."""
    if language() == "en":
        return table.replace("_", " ")
    return label(f"kind.{table}").replace("kind.", "", 1).replace("_", " ")


def column_name(column: str) -> str:
    """A field by its column: 'status date' in English (the column's words), 'statusdato' in
    Danish."""
    if language() == "en":
        return column.replace("_", " ")
    return label(f"field.{column}").replace("field.", "", 1).replace("_", " ")


# -- numbers -------------------------------------------------------------------------------------


def number(n: int | None, lang: str | None = None) -> str:
    """A whole number grouped in thousands: '978.000' in Danish, '978,000' in English."""
    if n is None:
        return ""
    grouped = f"{abs(n):,}"
    sign = "-" if n < 0 else ""
    return sign + (grouped if (lang or language()) == "en" else grouped.replace(",", "."))


def decimal(x: float | int | None, places: int = 1, lang: str | None = None) -> str:
    """A decimal number: '102,4' and '1.482,5' in Danish, '102.4' and '1,482.5' in English."""
    if x is None:
        return ""
    text = f"{x:,.{places}f}"
    if (lang or language()) == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def plain_decimal(x: float | int, lang: str | None = None) -> str:
    """A stored decimal as it is, without grouping or rounding: 102.4 is '102,4' in Danish and
    '102.4' in English."""
    text = str(x)
    return text if (lang or language()) == "en" else text.replace(".", ",")


def count(n: int, noun: str, lang: str | None = None) -> str:
    """'1 projekt', '2 projekter' (the noun's number follows the count)."""
    return labels(lang or language()).count(n, noun)


# -- the report's reading of the catalogue ---------------------------------------------------------


class Labels:
    """t(key) in the report language (unknown keys pass through, e.g. codes), and
    t.count(n, noun) for a count with the noun in the right number: '1 projekt', '3 projekter'."""

    def __init__(self, lang: str):
        self.lang = lang
        self.index = _index(lang)

    def __call__(self, key: str) -> str:
        pair = catalogue().get(key)
        return pair[self.index] if pair else key

    def noun(self, n: int, key: str) -> str:
        from portefolje.i18n.reports import NOUNS

        singular, plural = NOUNS[key][self.index]
        return singular if n == 1 else plural

    def status_count(self, n: int, status: str) -> str:
        """'3 aktive', '1 afsluttet', '2 sat på pause'."""
        from portefolje.i18n.reports import STATUS_FORMS

        singular, plural = STATUS_FORMS[status][self.index]
        return f"{number(n, self.lang)} {singular if n == 1 else plural}"

    def count(self, n: int, key: str) -> str:
        return f"{number(n, self.lang)} {self.noun(n, key)}"


def labels(lang: str) -> Labels:
    return Labels(lang)
