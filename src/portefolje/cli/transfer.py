"""`portefolje export`, `import` and `schema`: the whole database as one JSON document."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    pass
