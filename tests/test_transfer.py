"""export / import / schema: the whole database as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli
from statements import traced


def test_round_trip_is_byte_identical(register: Cli, tmp_path: Path) -> None:
    register("project", "pause", "P2", "--reason", "Afventer", "--date", "2018-03-01")
    register("project", "health", "P1", "red", "--dimension", "cost", "--comment", "Over budget")
    first = tmp_path / "first.json"
    register("export", "--out", str(first))
    other = Cli(tmp_path / "other.db")
    other("--db", str(other.db), "import", str(first))
    assert other("--db", str(other.db), "export").stdout == first.read_text(encoding="utf-8")


def test_a_dependency_on_a_project_of_a_later_chunk_round_trips(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the import compares and writes a kind a chunk at a time (1,000 records); at scale L a
    # project's dependency named a project of a later chunk and the whole import was refused
    from portefolje.store import importing

    register("project", "depends", "P1", "--on", "P2", "--date", "2019-02-01")
    first = tmp_path / "first.json"
    register("export", "--out", str(first))
    monkeypatch.setattr(importing, "CHUNK", 1)  # P1 and P2 in chunks of their own
    other = Cli(tmp_path / "other.db")
    other("--db", str(other.db), "import", str(first))
    assert other("--db", str(other.db), "export").stdout == first.read_text(encoding="utf-8")
    assert '"on":"P2"' in first.read_text(encoding="utf-8").replace(" ", "")


def test_reimport_changes_nothing(register: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    register("export", "--out", str(doc))
    journal_before = register.json("history")
    result = register("import", str(doc))
    assert "created" not in result.stderr and ": 0 updated, " in result.stderr
    assert register.json("history") == journal_before


def test_import_updates_by_code_and_journals(register: Cli, tmp_path: Path) -> None:
    doc = json.loads(register("export").stdout)
    doc["projects"][0]["leader"] = "Ny projektleder"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    summary = json.loads(register("import", str(path), "--json").stdout)["summary"]
    assert summary["projects"] == {"updated": 1, "unchanged": 1}
    assert register.json("project", "show", "P1")["leader"] == "Ny projektleder"
    last = register.json("history")[-1]
    assert (last["action"], last["command"].split()[1]) == ("edit", "import")


def test_invalid_document_is_refused_whole(register: Cli, tmp_path: Path) -> None:
    doc = json.loads(register("export").stdout)
    doc["projects"].append(
        {"code": "P9", "title": "Ny", "segment": "S1", "start_date": "29/2 2023"}
    )
    doc["portfolios"][0]["name"] = "Omdøbt"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = register.snapshot()
    err = register.fails("import", str(path))
    assert "projects.2.start_date: invalid date '29/2 2023'" in err
    assert register.snapshot() == before


def test_unknown_reference_rolls_back_everything(register: Cli, tmp_path: Path) -> None:
    doc = json.loads(register("export").stdout)
    doc["portfolios"][0]["name"] = "Omdøbt"
    doc["projects"][1]["segment"] = "S404"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = register.snapshot()
    assert "no segment with code 'S404'" in register.fails("import", str(path))
    assert register.snapshot() == before


def test_dry_run_writes_nothing(register: Cli, tmp_path: Path) -> None:
    doc = json.loads(register("export").stdout)
    doc["departments"].append({"code": "KF", "name": "Kultur & Fritid"})
    path = tmp_path / "more.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = register.snapshot()
    assert "would import" in register("import", str(path), "--dry-run").stderr
    assert register.snapshot() == before


def test_not_json_is_one_line(register: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{nope", encoding="utf-8")
    assert "is not a JSON document" in register.fails("import", str(path))
    assert "no file" in register.fails("import", str(tmp_path / "missing.json"))


def test_schema_describes_the_document(cli: Cli) -> None:
    schema = json.loads(cli("schema", "export").stdout)
    assert set(schema["properties"]) >= {"portfolios", "segments", "projects", "departments"}
    assert "unknown schema 'nope'" in cli.fails("schema", "nope")


# -- the document read a record at a time (domain/jsonstream.py) -------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "albertslund.json"


def _imported(tmp_path: Path, name: str, doc: Path) -> str:
    """The export of a fresh database that imported `doc`."""
    c = Cli(tmp_path / f"{name}.db")
    c("--db", str(c.db), "import", str(doc))
    return str(c("--db", str(c.db), "export").stdout)


def test_a_record_split_across_reads_imports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the reader decodes one record at a time from a buffer of text; with a buffer of 7
    # characters every record, key and number straddles the end of a read
    from portefolje.domain import jsonstream

    first = _imported(tmp_path, "whole-buffer", EXAMPLE)
    monkeypatch.setattr(jsonstream, "BUFFER", 7)
    assert _imported(tmp_path, "tiny-buffer", EXAMPLE) == first
    exported = tmp_path / "exported.json"
    exported.write_text(first, encoding="utf-8")
    assert _imported(tmp_path, "round-trip", exported) == first


@pytest.fixture(params=["here", "helper"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a streamed document is read: in this process, and (what a large file gets) by
    a helper process that validates the records while the import writes (cli/reader.py)."""
    if request.param == "helper":
        from portefolje.cli import reader

        monkeypatch.setattr(reader, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(reader.os, "cpu_count", lambda: 2)
    return str(request.param)


def test_a_large_document_read_by_a_helper_imports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portefolje.cli import reader

    first = _imported(tmp_path, "here", EXAMPLE)
    started: list[object] = []
    validated = reader.validated

    def counted(*args: object) -> object:
        started.append(args)
        return validated(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(reader.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reader, "validated", counted)
    assert _imported(tmp_path, "helper", EXAMPLE) == first
    # a helper read it twice: checked whole first (a new database is made only for a document
    # that passes), then imported
    assert len(started) == 2


def test_a_document_in_another_order_is_read_whole_and_imports_the_same(
    tmp_path: Path, reading: str
) -> None:
    # streaming needs the kinds in the order they are imported; a hand-written document with
    # the projects before the segments they name is read whole instead, with the same result
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    reordered = {k: doc[k] for k in reversed(list(doc))}
    assert list(reordered) != list(doc)
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps(reordered, ensure_ascii=False, indent=1), encoding="utf-8")
    assert _imported(tmp_path, "reordered", path) == _imported(tmp_path, "plain", EXAMPLE)


def _whole_validation(raw: dict[str, object]) -> str:
    """What validating the whole document at once says (the refusal before streaming)."""
    from pydantic import ValidationError

    from portefolje.domain.document import Document, describe_errors

    with pytest.raises(ValidationError) as caught:
        Document.model_validate(raw)
    return describe_errors(caught.value)


@pytest.mark.parametrize("many", [False, True])
def test_errors_in_several_kinds_are_listed_as_whole_validation_lists_them(
    register: Cli, tmp_path: Path, many: bool, reading: str
) -> None:
    doc = json.loads(register("export").stdout)
    doc["departments"][1]["code"] = "bad code"
    doc["projects"].append({"code": "P9", "title": "Ny", "segment": "S1", "start_date": "x"})
    doc["projects"][0]["leader"] = 17
    for n in range(12 if many else 1):
        doc["milestones"].append({"code": f"M{n + 50}", "title": "", "due_date": "2019-13-01"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = register.snapshot()
    err = register.fails("import", str(path))
    assert err == f"error: {path}: {_whole_validation(doc)}\n"
    assert ("and 17 more" in err) == many
    assert register.snapshot() == before


def test_a_syntax_error_at_the_end_refuses_as_before_and_writes_nothing(
    register: Cli, tmp_path: Path, reading: str
) -> None:
    text = register("export").stdout
    doc = json.loads(text)
    doc["portfolios"][0]["name"] = "Omdøbt"  # imported before the reader reaches the error
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(doc)[:-1], encoding="utf-8")  # the closing brace is missing
    before = register.snapshot()
    err = register.fails("import", str(path))
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        assert str(exc) in err and "is not a JSON document" in err
    assert register.snapshot() == before


def test_a_refused_document_leaves_no_new_database_behind(tmp_path: Path, reading: str) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["savings"][-1]["amount"] = "mange penge"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    target = Cli(tmp_path / "new.db")
    err = target.fails("--db", str(target.db), "import", str(path))
    assert f"savings.{len(doc['savings']) - 1}.amount" in err
    assert not target.db.exists()


def test_a_cpr_number_in_new_records_is_named_by_the_first_record_that_holds_one(
    register: Cli, tmp_path: Path
) -> None:
    # the bulk insert checks each column's distinct texts at once; when it refuses, the records
    # are tried one by one, so each record at fault is named by its place, with its own field
    doc = json.loads(register("export").stdout)
    doc["projects"] += [
        {"code": "P8", "title": "Ny", "segment": "S1", "purpose": "Borger 010190-1009"},
        {"code": "P9", "title": "Borger 050607-4011", "segment": "S1"},
    ]
    path = tmp_path / "cpr.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = register.snapshot()
    err = register.fails("import", str(path))
    lines = err.splitlines()
    assert "2 problems" in lines[0], err
    assert "projects.2" in lines[1] and "purpose" in lines[1] and "title" not in lines[1]
    assert "projects.3" in lines[2] and "title" in lines[2]
    assert "010190" not in err and "050607" not in err and register.snapshot() == before


def test_reimporting_unchanged_records_runs_no_statement_per_record(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a re-import compares each chunk with its stored records set-wise: 3 or 60 unchanged
    # savings lines and milestones take the same number of SQL statements
    doc = json.loads(register("export").stdout)
    counts = []
    for n in (3, 60):
        more = dict(doc)
        more["savings"] = [
            {"code": f"SV{i}", "project": "P1", "year": 2019 + i % 5, "amount": 1000 * (i + 1)}
            for i in range(n)
        ]
        more["milestones"] = [
            {"code": f"M{i}", "title": f"Milepæl {i}", "project": "P2", "due_date": "2020-01-01"}
            for i in range(n)
        ]
        path = tmp_path / f"doc-{n}.json"
        path.write_text(json.dumps(more), encoding="utf-8")
        target = Cli(tmp_path / f"db-{n}.db")
        target("--db", str(target.db), "import", str(path))
        exported = tmp_path / f"exported-{n}.json"
        exported.write_text(target("--db", str(target.db), "export").stdout, encoding="utf-8")
        with traced(monkeypatch) as seen:
            result = target("--db", str(target.db), "import", str(exported), "--json")
        summary = json.loads(result.stdout)["summary"]
        assert summary["savings"] == {"unchanged": n} and summary["milestones"] == {"unchanged": n}
        counts.append(len(seen))
    assert counts[0] == counts[1] and 10 < counts[0] < 200, counts
