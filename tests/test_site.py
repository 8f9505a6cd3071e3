"""`portefolje serve`: the reader site, driven through Datasette's own test client.

Skipped when the `web` extra is not installed (CI installs it). The figures the canned queries
return are checked against the status report built from the same file, and the file is
byte-for-byte the same after every request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

datasette = pytest.importorskip("datasette")

AS_OF = "2019-06-05"
MIO = 1_000_000


@pytest.fixture
def fom(register: Cli) -> Cli:
    """FOM: target 4 mio from 2019 split SF/BA in halves; 1 mio documented (SF) from 2019 and
    500 t.kr. estimated (BA) in 2019; P1 yellow with an overdue milestone and a case to ØU on 19
    June; P2 paused."""
    c = register
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("target", "set", "--portfolio", "FOM", "--amount", "4 mio", "--from-year", "2019",
      "--key", "SF=1/2", "--key", "BA=1/2")  # fmt: skip
    c("saving", "add", "--project", "P1", "--amount", "1 mio", "--from-year", "2019",
      "--department", "SF", "--stage", "documented")  # fmt: skip
    c("saving", "add", "--project", "P1", "--amount", "500 t.kr.", "--year", "2019",
      "--department", "BA")  # fmt: skip
    c("project", "health", "P1", "yellow", "--comment", "Data forsinket", "--date", "2019-05-20")
    c("project", "pause", "P2", "--reason", "Afventer boligplanen", "--date", "2019-05-10")
    c("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "2019-05-01")
    c("milestone", "add", "Plan godkendt", "--project", "P1", "--due", "2019-04-01")
    c("milestone", "done", "M2", "--date", "2019-03-28")
    c("deliverable", "add", "Status på porteføljen", "--committee", "ØU", "--meeting",
      "2019-06-19", "--kind", "orientering", "--project", "P1")  # fmt: skip
    return c


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(ds: Any, *paths: str) -> list[Any]:
    async def run() -> list[Any]:
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


def rows(ds: Any, query: str, **params: str) -> list[dict[str, Any]]:
    args = "&".join(f"{k}={v}" for k, v in {"_shape": "array", **params}.items())
    response = fetch(ds, f"/portefolje/{query}.json?{args}")[0]
    assert response.status_code == 200, response.text
    return list(response.json())


@pytest.fixture
def site(fom: Cli) -> Any:
    from portefolje.web.site import make

    return make(fom.db, immutable=True)


def test_pages_and_what_is_closed(fom: Cli, site: Any) -> None:
    before = sha(fom.db)
    ok = [
        "/",
        "/portefolje",
        "/portefolje/project",
        "/portefolje/overskredne_milepaele",
        "/portefolje/mangler_pr_afdeling_og_aar",
        "/portefolje/udvalgskalender",
        "/portefolje/projekter_paa_pause",
        "/portefolje/projektoversigt",
        "/-/rapport",
        "/-/projekt/P1",
    ]
    assert [r.status_code for r in fetch(site, *ok)] == [200] * len(ok)
    closed = [
        "/portefolje/journal",
        "/portefolje/code_counter",
        "/portefolje/published_report",
        "/portefolje/published_file",
        "/portefolje.db",  # no download of the whole file (it holds the journal)
        "/portefolje?sql=select+*+from+journal",  # no arbitrary SQL
    ]
    assert [r.status_code for r in fetch(site, *closed)] == [403] * len(closed)
    index, database = fetch(site, "/", "/portefolje")
    assert "Porteføljestyring" in index.text and "Statusrapport, alle porteføljer" in index.text
    assert "Projekter" in database.text and "journal" not in database.text
    assert fetch(site, "/-/projekt/NOPE")[0].status_code == 404
    assert sha(fom.db) == before
    assert not Path(f"{fom.db}-wal").exists() and not Path(f"{fom.db}-shm").exists()


def test_danish_labels_and_links(site: Any) -> None:
    table = fetch(site, "/portefolje/project")[0].text
    assert ">Kode" in table and ">Titel" in table and ">Startdato" in table
    assert 'href="/-/projekt/P1"' in table
    gap = fetch(site, f"/portefolje/mangler_pr_afdeling_og_aar?dato={AS_OF}")[0].text
    assert "2.000.000 kr." in gap and "Mangler pr. afdeling og år" in gap


def test_canned_queries_agree_with_the_status_report(fom: Cli, site: Any) -> None:
    report = json.loads(fom("report", "status", "--as-of", AS_OF, "--format", "json").stdout)
    overdue = rows(site, "overskredne_milepaele", dato=AS_OF)
    assert [(r["Projekt"], r["Titel"], r["Forfaldsdato"], r["Dage over"]) for r in overdue] == [
        ("P1", "Analyse færdig", "2019-05-01", 35)
    ]
    assert [r["Milepæl"] for r in overdue] == [m["code"] for m in report["overdue_milestones"]]
    calendar = rows(site, "udvalgskalender", dato=AS_OF)
    assert [r["Sag"] for r in calendar] == [m["code"] for m in report["calendar"]]
    assert [(r["Mødedato"], r["Udvalg"], r["Status"], r["Projekter"]) for r in calendar] == [
        ("2019-06-19", "Økonomiudvalget", "planlagt", "P1")
    ]
    paused = rows(site, "projekter_paa_pause", dato=AS_OF)
    assert [(r["Projekt"], r["På pause siden"], r["Begrundelse"]) for r in paused] == [
        ("P2", "2019-05-10", "Afventer boligplanen")
    ]
    # by hand: each department's half of 4 mio a year; SF has 1 mio documented every year, BA
    # 500 t.kr. estimated in 2019
    gap = rows(site, "mangler_pr_afdeling_og_aar", dato=AS_OF)
    first = [(r["Afdeling"], r["Sparemål"], r["Dokumenteret"], r["Mangler"],
              r["Mangler efter estimeret"]) for r in gap if r["År"] == 2019]  # fmt: skip
    assert first == [
        ("Borger & Arbejdsmarked", 2 * MIO, 0, 2 * MIO, 3 * MIO // 2),
        ("Social & Familie", 2 * MIO, MIO, MIO, MIO),
    ]
    per_year = {y["year"]: y["gap"] for y in report["overview"]["savings"]["per_year"]}
    for year, gap_then in per_year.items():
        assert sum(r["Mangler"] for r in gap if r["År"] == year) == gap_then
    status = {r["Projekt"]: (r["Status"], r["Sundhed"]) for r in rows(site, "projektoversigt")}
    assert status == {"P1": ("aktiv", "gul"), "P2": ("sat på pause", None)}


def test_report_pages_come_from_the_same_model(fom: Cli, site: Any) -> None:
    page, as_json, sheet = fetch(
        site,
        f"/-/rapport?portefolje=FOM&dato={AS_OF}",
        f"/-/rapport?portefolje=FOM&dato={AS_OF}&format=json",
        f"/-/projekt/P1?dato={AS_OF}",
    )
    assert "Statusrapport til Direktørforum" in page.text and "Rusmidler og job" in page.text
    assert 'class="portefolje-nav"' in page.text and "<svg" in page.text
    cli_json = fom("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "json")
    assert as_json.text == cli_json.stdout
    assert "Projektbeskrivelse: Rusmidler og job" in sheet.text
    bad = fetch(site, "/-/rapport?dato=32/13+2019", "/-/rapport?format=pdf")
    assert [r.status_code for r in bad] == [400, 400]


def test_nothing_can_be_written(fom: Cli, site: Any) -> None:
    before = sha(fom.db)

    async def post() -> list[int]:
        paths = ["/portefolje/project", "/portefolje/overskredne_milepaele", "/-/rapport",
                 "/portefolje/-/create"]  # fmt: skip
        return [(await site.client.post(p, data={"sql": "DELETE FROM project"})).status_code
                for p in paths]  # fmt: skip

    assert asyncio.run(post()) == [405, 405, 405, 405]
    assert sha(fom.db) == before


def test_a_live_file_is_read_as_it_changes(fom: Cli) -> None:
    from portefolje.web.site import make

    live = make(fom.db)  # writable here, so mode=ro: each request sees the latest commit
    assert not live.immutables
    assert len(rows(live, "projektoversigt")) == 2
    fom("project", "add", "Tredje projekt", "--segment", "S1", "--start", "2019-01-01")
    assert len(rows(live, "projektoversigt")) == 3


def test_other_schema_versions_are_refused(tmp_path: Path) -> None:
    import shutil

    from portefolje.domain.errors import DatabaseError
    from portefolje.web.site import make

    old = tmp_path / "gammel.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema-v5.db", old)
    with pytest.raises(DatabaseError, match="schema version 5"):
        make(old)


PROBE = """
import sys
{prelude}
from portefolje.cli import main
sys.argv = ["portefolje", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    print("exit", exit.code, file=sys.stderr)
print("datasette" in sys.modules, file=sys.stderr)
"""


def _probe(*args: str, prelude: str = "") -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(prelude=prelude), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stderr.strip().splitlines()


def test_version_and_help_do_not_import_datasette() -> None:
    assert _probe("--version")[-1] == "False"
    assert _probe("--help")[-1] == "False"


def test_serve_without_the_extra_says_how_to_install_it(fom: Cli) -> None:
    lines = _probe("--db", str(fom.db), "serve", prelude="sys.modules['datasette'] = None")
    assert lines[0] == 'error: portefolje serve needs the web extra: pip install "portefolje[web]"'
    assert lines[1] == "exit 1"


def test_serve_binds_to_localhost_and_answers(fom: Cli) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PORTEFOLJE_TODAY": AS_OF}
    server = subprocess.Popen(
        [sys.executable, "-m", "portefolje", "--db", str(fom.db), "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/rapport", timeout=5) as r:
                    body = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        assert "Statusrapport til Direktørforum" in body
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert f"at http://localhost:{port}/" in err
