"""Usage errors in the person's language. typer's vendored click writes its messages in English
as plain f-strings (no gettext to hook into); each kind of usage error is rebuilt here from the
exception's fields through the catalogue. A message of a kind not known here keeps click's
English words inside the translated frame."""

from __future__ import annotations

import re
from typing import Any

from portefolje.i18n import msg

# click's messages that carry no fields of their own, recognised by their wording
_PATTERNS = (
    (re.compile(r"No such command '(?P<name>.*)'\.", re.S), "usage.no_such_command"),
    (re.compile(r"Missing command\.", re.S), "usage.missing_command"),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.S),
        "usage.extra_arguments",
    ),
    (re.compile(r"Option '(?P<option>.*)' requires an argument\.", re.S), "usage.needs_value"),
    (
        re.compile(r"Option '(?P<option>.*)' requires (?P<n>\d+) arguments\.", re.S),
        "usage.needs_values",
    ),
    (re.compile(r"Option '(?P<option>.*)' does not take a value\.", re.S), "usage.takes_no_value"),
)
# the inner message of a value that click's own types refuse (integers, ranges)
_VALUE_PATTERNS = (
    # IntRange and FloatRange name themselves "int range" and "float range"
    (
        re.compile(r"(?P<value>'.*') is not a valid int(eger)?( range)?\.", re.S),
        "usage.not_integer",
    ),
    (re.compile(r"(?P<value>'.*') is not a valid float( range)?\.", re.S), "usage.not_number"),
    (re.compile(r"(?P<value>\S+) is not in the range (?P<range>.*)\.", re.S), "usage.out_of_range"),
    (re.compile(r"(?P<value>'.*') is not a valid boolean\..*", re.S), "usage.not_boolean"),
)


def message(exc: Any) -> str:
    """The one-line text of a usage error (without the "error:" frame)."""
    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    if isinstance(exc, NoSuchOption):
        text = msg("usage.no_such_option", option=exc.option_name)
        if exc.possibilities:
            text += " " + msg("usage.did_you_mean", options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
        key = {"argument": "usage.missing_argument", "option": "usage.missing_option"}.get(
            kind, "usage.missing_parameter"
        )
        return msg(key, name=_hint(exc))
    if isinstance(exc, BadParameter):
        inner = _inner(exc.message)
        hint = _hint(exc)
        if hint:
            return msg("usage.bad_value", name=hint, message=inner)
        return msg("usage.bad_value_plain", message=inner)
    text = exc.message
    for pattern, key in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return msg(key, **found.groupdict())
    return text


def _hint(exc: Any) -> str:
    from typer._click.core import ParameterSource

    hint = exc.param_hint
    if hint is None and exc.param is not None:
        # click's own hint, the option's names; typer's adds "(env var: …)" in English whether
        # or not the value came from there, so the environment is named here when it did
        hint = " / ".join(f"'{x}'" for x in exc.param.opts)
        envvar = getattr(exc.param, "envvar", None)
        came_from = exc.ctx.get_parameter_source(exc.param.name) if exc.ctx else None
        if isinstance(envvar, str) and came_from is ParameterSource.ENVIRONMENT:
            hint = msg("usage.from_environment", option=hint, envvar=envvar)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def _inner(text: str) -> str:
    for pattern, key in _VALUE_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            fields = found.groupdict()
            if "range" in fields:
                fields["range"] = _range(fields["range"])
            return msg(key, **fields)
    return text


# click describes a range as "x>=1", "x<5" or "1<=x<=5" (IntRange._describe_range)
_BOUND = re.compile(r"(?:(?P<low>[^<>=x]+)<=?)?x(?:(?P<op>[<>]=?)(?P<bound>[^<>=x]+))?")


def _range(text: str) -> str:
    """A click range in words: 'på mindst 1', 'fra 1 til 5' (click's own text if it is not
    one of its three forms)."""
    found = _BOUND.fullmatch(text)
    if not found or not found["bound"]:
        return text
    low, op, bound = found["low"], found["op"], found["bound"]
    if low:
        return msg("usage.range_between", low=low, high=bound)
    keys = {
        ">=": "usage.range_at_least",
        ">": "usage.range_above",
        "<=": "usage.range_at_most",
        "<": "usage.range_below",
    }
    return msg(keys[op], bound=bound)
