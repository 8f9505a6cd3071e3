"""The rooms of the code, as the README describes them, checked: only store/ runs SQL, each
room imports only the rooms below it, and report builders stay small."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "portefolje"
SQL_CALL = re.compile(r"\.(execute|executemany|executescript)\(")

# room -> the rooms it may import from (besides itself and the package's small shared modules)
# i18n, the message catalogue, is the floor: every room words its messages through it, and it
# imports no other room
ALLOWED = {
    "i18n": set(),
    "domain": {"i18n"},
    "store": {"i18n", "domain"},
    "reports": {"i18n", "domain", "store"},
    "sheets": {"i18n", "domain", "store", "reports"},
    "web": {"i18n", "domain", "store", "reports"},
    "cli": {"i18n", "domain", "store", "reports", "sheets", "web"},
}
SHARED = {"portefolje", "portefolje.cells", "portefolje.terminal"}


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def room(path: Path) -> str | None:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else None


def test_only_the_store_runs_sql() -> None:
    offenders = [
        str(p.relative_to(SRC))
        for p in modules()
        if room(p) != "store" and SQL_CALL.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = []
    for path in modules():
        here = room(path)
        if here not in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if not name.startswith("portefolje") or name in SHARED:
                    continue
                target = name.split(".")[1] if "." in name else None
                if (
                    target
                    and target != here
                    and target not in ALLOWED[here] | {"cells", "terminal"}
                ):
                    wrong.append(f"{path.relative_to(SRC)} imports {name}")
    assert wrong == []


def test_report_functions_stay_small() -> None:
    long = []
    for path in (SRC / "reports").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{path.relative_to(SRC)}:{node.name} ({length} lines)")
    assert long == []


# what reading or writing a file, a process or the network looks like in Python source (the
# environment is read for settings, such as a fixed "today" in tests: not I/O)
IO_CALL = re.compile(
    r"\bopen\(|\.(read|readline|readlines|write|read_text|read_bytes|write_text|write_bytes)\("
    r"|\bimport (io|socket|subprocess|shutil|urllib)\b|from (io|pathlib|subprocess) import"
)


def test_the_domain_does_no_io() -> None:
    """The README says domain/ is pure: its parsers take text and values, never a file."""
    offenders = [
        f"{p.relative_to(SRC)}: {m.group()}"
        for p in modules()
        if room(p) == "domain"
        for m in [IO_CALL.search(p.read_text(encoding="utf-8"))]
        if m
    ]
    assert offenders == []
