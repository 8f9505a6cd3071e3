"""How every sub-app is made, so all of them print plain help and plain one-line errors."""

from __future__ import annotations

from typing import Any

import typer

SETTINGS: dict[str, Any] = {
    "no_args_is_help": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,  # plain help; rich is never imported
    "add_completion": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}


def sub_app(help: str, **overrides: Any) -> typer.Typer:
    """A Typer sub-app for one noun (or one root command)."""
    return typer.Typer(help=help, **{**SETTINGS, **overrides})
