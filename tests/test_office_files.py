"""Files as the office opens them: report CSVs in the export's dialect, modes that follow the
umask, --out that never writes through a link or pipe, safe placeholders, "-" for stdout."""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Cli

AS_OF = "2019-06-05"


@pytest.fixture
def fom(register: Cli) -> Cli:
    c = register
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("committee", "add", "Social- og Beskæftigelsesudvalget", "--code", "SBU")
    c("target", "set", "--portfolio", "FOM", "--amount", "4 mio", "--from-year", "2019")
    c(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "1 mio",
        "--year",
        "2019",
        "--department",
        "SF",
    )
    c("project", "edit", "P2", "--title", "=SUM(A1:A9)")
    c(
        "deliverable",
        "add",
        "Status",
        "--committee",
        "ØU",
        "--meeting",
        "2019-06-19",
        "--kind",
        "orientering",
        "--prior",
        "SBU:2019-06-11",
        "--project",
        "P1",
    )
    return c


def excel_rows(data: bytes) -> list[dict[str, str]]:
    """Read a CSV the way Danish Excel does: a BOM says UTF-8, the list separator is ';'."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize(
    "args, danish, english",
    [
        (("status", "--portfolio", "FOM"), {"Kode", "Titel", "Provenu, estimeret"}, {"code"}),
        (("savings", "--portfolio", "FOM", "--from-year", "2019"), {"År", "Sparemål"}, {"year"}),
        (
            ("deliverables", "--from", "jun 2019", "--to", "jun 2019"),
            {"Mødedato", "Udvalg"},
            {"prior"},
        ),
    ],
)
def test_report_csv_opens_in_danish_excel(
    fom: Cli, tmp_path: Path, args: tuple[str, ...], danish: set[str], english: set[str]
) -> None:
    path = tmp_path / "r.csv"
    fom("report", *args, "--as-of", AS_OF, "--format", "csv", "--out", str(path))
    raw = path.read_bytes()
    rows = excel_rows(raw)
    assert rows and danish <= set(rows[0]), rows[0].keys()
    assert not english & set(rows[0])
    assert raw.count(b"\r\n") == len(rows) + 1
    assert raw.splitlines()[0].count(b";") == len(rows[0]) - 1
    en = fom("report", *args, "--as-of", AS_OF, "--format", "csv", "--lang", "en").stdout
    assert english <= set(excel_rows(en.encode("utf-8"))[0])


def test_report_csv_values_are_numbers_and_safe_text(fom: Cli) -> None:
    out = fom("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "csv")
    rows = {r["Kode"]: r for r in excel_rows(out.stdout.encode("utf-8"))}
    assert rows["P2"]["Titel"] == "'=SUM(A1:A9)"
    assert rows["P1"]["Provenu, estimeret"] == "1000000"


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
def test_file_modes_follow_the_umask_and_an_overwrite_keeps_the_mode(
    fom: Cli, tmp_path: Path
) -> None:
    report = ("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--quiet")
    fom(*report, "--format", "html", "--out", str(tmp_path / "a.html"))
    assert mode(tmp_path / "a.html") == 0o644
    os.umask(0o027)
    fom(*report, "--format", "xlsx", "--out", str(tmp_path / "a.xlsx"))
    fom("export", "--out", str(tmp_path / "e.json"))
    fom("export", "--format", "csv", "--out", str(tmp_path / "csv"))
    assert mode(tmp_path / "a.xlsx") == mode(tmp_path / "e.json") == 0o640
    assert {mode(p) for p in (tmp_path / "csv").iterdir()} == {0o640}
    os.chmod(tmp_path / "a.html", 0o664)
    fom(*report, "--format", "html", "--out", str(tmp_path / "a.html"))
    assert mode(tmp_path / "a.html") == 0o664


def test_out_refuses_anything_but_a_regular_file(fom: Cli, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    report = ("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "md")
    for target, what in [
        (link, "symbolic link"),
        (fifo, "named pipe"),
        (folder, "folder"),
        (Path("/dev/null"), "device"),
    ]:
        message = fom.fails(*report, "--out", str(target))
        assert what in message and message.count("\n") == 1, message
        assert "export" and what in fom.fails("export", "--out", str(target))
    assert victim.read_text() == "keep me" and link.is_symlink()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and not list(folder.iterdir())
    assert not list(tmp_path.glob(".*.tmp"))


def test_placeholders_are_safe_file_names(cli: Cli, tmp_path: Path) -> None:
    cli("portfolio", "add", "../../ud", "--code", "UD")
    pattern = tmp_path / "rapporter" / "{portfolio}" / "{date}.{format}"
    cli(
        "report",
        "savings",
        "--portfolio",
        "../../ud",
        "--as-of",
        AS_OF,
        "--format",
        "text",
        "--out",
        str(pattern),
    )
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".db"]
    assert len(written) == 1, written
    (target,) = written
    assert target.parent.parent == tmp_path / "rapporter" and target.name == "2019-06-05.txt"
    assert ".." not in target.parent.name and "/" not in target.parent.name
    assert not (tmp_path.parent / "ud").exists()
    assert "placeholders" in cli.fails(
        "report", "savings", "--format", "md", "--out", str(tmp_path / "{portfolio.__class__}")
    )


def test_dash_is_standard_output(fom: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    md = fom(
        "report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "md", "--out", "-"
    )
    assert md.stdout.startswith("# Statusrapport") and md.stderr == ""
    exported = fom("export", "--out", "-")
    assert exported.stdout.startswith("{") and '"format"' in exported.stdout
    assert not (tmp_path / "-").exists()


def test_binary_to_stdout_only_when_asked_and_not_a_terminal(fom: Cli) -> None:
    args = ("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "xlsx")
    assert "binary" in fom.fails(*args)
    assert fom(*args, "--out", "-").stdout_bytes.startswith(b"PK\x03\x04")
