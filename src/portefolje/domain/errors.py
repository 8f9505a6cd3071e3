"""Error types raised by the domain and the store.

One handler at the CLI boundary turns each into a single line on stderr and exit code 1,
so nothing below the CLI prints or exits.
"""


class PortefoljeError(Exception):
    """A request that is refused. The message says what was wrong and how to do it right."""


class InvalidValue(PortefoljeError, ValueError):
    """A value that cannot be parsed or is out of range (a date, an amount, an enum).

    Also a ValueError, so pydantic validators that call our parsers report it as a field error.
    """


class NotFound(PortefoljeError):
    """A reference (code, id or name) that matches nothing."""


class Refused(PortefoljeError):
    """A request that is well-formed but not allowed now (an invalid status transition)."""


class PersonalData(PortefoljeError):
    """Text that looks like a CPR number: the tool must never store personal data."""


class DatabaseError(PortefoljeError):
    """The database cannot be used: missing, newer than the program, locked, or damaged."""
