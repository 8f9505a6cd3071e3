"""Run the reliability and property tests and write docs/reliability.md from their figures.

    python tests/reliability_report.py

Every figure in the document comes from this run: the tests record what they tried and what
survived (see the `record` fixture in conftest.py). Tests that could not run here (no user
namespaces for a real full disk or read-only mount) are listed as skipped, with the reason.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = [
    "test_reliability.py",
    "test_properties.py",
    "test_rel_files.py",
    "test_rel_journal.py",
    "test_rel_upgrade.py",
    "test_rel_input.py",
]
PROMISES = {
    "concurrency": "Several staff and a cron job share one file: concurrent writers wait for each "
    "other (BEGIN IMMEDIATE, busy timeout) and no change is lost.",
    "crash safety": "A writer killed at any moment leaves a database that passes the integrity "
    "check and holds all or none of each import (one transaction, synchronous=FULL).",
    "our files only": "portefolje opens only its own files: a new database carries the "
    "application id {app_id} in its header; one made by portefolje 0.1 (no id, but "
    "a schema version and portefolje's tables) gets it at its next upgrade. Any other file is "
    "refused in one line and left byte for byte as it was, with no -wal, -shm or -journal file "
    "beside it. Reads and dry runs never create a database.",
    "schema safety": "All pending migrations run in one transaction under the write lock, after "
    "a verified backup; the version is read again once the lock is held, so of several "
    "processes opening an old database one upgrades it and the others find it done. Every "
    "earlier schema version upgrades to exactly the fresh schema; each run is recorded "
    "(version, name, time, portefolje version) and `db check` prints them.",
    "backups": "`db backup` and the copy before an upgrade use SQLite's online backup (a "
    "consistent copy while others write), written under a temporary name in the target folder, "
    "checked (integrity, application id, schema version), flushed to disk, and only then given "
    "their name, never over an existing file. A failed upgrade keeps its verified backup and "
    "does not make another on the next try. `db check` refuses a file that is not a complete "
    "portefolje database.",
    "disk full": "A full disk is reported in one line ('disken er fuld', or 'the disk is full' "
    "with --lang en); the database is left as it was (the transaction is rolled back whole, and no "
    "later write of the same command can run outside it).",
    "network shares": "WAL needs shared memory that SMB/NFS and shared-folder file systems do "
    "not give: new files there use the rollback journal, asking for WAL there is refused, and "
    "an unknown PORTEFOLJE_JOURNAL_MODE is refused. An existing file keeps its journal mode "
    "unless asked (the one exception: a WAL file found on a share is switched to the rollback "
    "journal, with a note).",
    "read-only use": "On a read-only file, folder or medium, reading commands work (opened "
    "read-only; `immutable` where no writer can be at work) and leave no file behind; writes "
    "are refused in one line.",
    "journal": "Every accepted change has its journal row in the same transaction; every "
    "refused command writes nothing. The journal is append-only and hash-chained; `history "
    "anchor` gives its head (row count and last hash) to keep elsewhere, and `history verify "
    "--anchor` / `db check --anchor` prove later that none of those rows was removed or "
    "rewritten. `db check` also compares every journaled table with the journal.",
    "personal data": "Text holding a CPR number, in any written form, is refused wherever it "
    "would be stored (the journal's --by and OS account included), and every message masks "
    "digits the guard would refuse.",
    "bad input": "Bad input gets one line on stderr and a non-zero exit, never a traceback or "
    "'internal error', and writes nothing.",
}

DETECTION = """## What the journal can and cannot prove

Can be detected:

- **An edited or deleted journal row** (after someone drops the append-only triggers): the hash
  chain breaks at that row (`history verify`, `db check`).
- **Rows removed from the end of the journal, or the whole journal emptied**: only with an
  anchor kept elsewhere, which records how many rows there were (`history verify --anchor`).
  Without one, an emptied journal still shows in `db check`, because the data rows then have
  no journal behind them.
- **A chain recomputed after an edit or a deletion** (a forger using portefolje's own hash
  function): only with an anchor: the anchored row no longer carries the anchored hash.
- **Dropped triggers**: `db check` compares the schema with a fresh one and names them.
- **Data rows added, removed or changed with SQL behind portefolje's back**: `db check`
  compares every journaled table with the journal (the number of records the journal's adds
  and removals leave, and each record's last journaled state against its row, column by
  column) and names the first difference: table, code or id, column. Records deleted with a
  journaled parent (ON DELETE CASCADE) are expected to be gone.

Cannot be detected:

- Someone who rewrites the data **and** the whole journal consistently (recomputing every hash)
  and discards or replaces every anchor kept elsewhere: the file then checks clean. The anchor
  is only as good as the place it is kept (a published report, a mail, the meeting case).
- Changes after the newest anchor, made consistently in data and journal.
- Link tables that are journaled on their parent record, as a list of codes (a project's
  departments, a deliverable's projects: `project_department`, `deliverable_project`), are not
  compared row by row; their parent's journal rows hold the lists.
- Columns added to a table after a record was last journaled are not compared for that record
  (its journal state does not have them); a migration that rewrites data must journal its
  changes, or `db check` will name them.

"""

NOT_TESTED = """## Not tested

- **Power loss.** Kills (SIGKILL) and full disks are tested; a power cut is not. Durability then
  rests on `synchronous=FULL`, the fsync of each backup and of its folder, and on the drive and
  the operating system honouring flushes, which a test on this machine cannot show.
- **Real network shares.** SMB, NFS and the other file systems are detected from the mount
  table (given in the tests); no database was used on a real share, and SQLite's locking over
  SMB/NFS was not exercised.
- **Windows and macOS.** Mapped network drives are detected through `GetDriveType`, injected in
  the tests; Windows paths, file locking, read-only attributes and the console were not run.
- **Several machines at once** on one file, and file systems that lie about locks or fsync.
- **Hardware faults** (bad sectors, bit rot) beyond what `PRAGMA integrity_check` finds.

"""


def main() -> None:
    out = Path(tempfile.mkdtemp()) / "figures.json"
    env = {**os.environ, "PORTEFOLJE_RELIABILITY_OUT": str(out)}
    examples = int(os.environ.get("PORTEFOLJE_PROPERTY_EXAMPLES", "2000"))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rs",
            *[str(ROOT / "tests" / name) for name in TESTS],
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    lines_out = run.stdout.strip().splitlines()
    summary = lines_out[-1].strip("= ") if lines_out else run.stderr
    skipped = [re.sub(r"^SKIPPED \[\d+\] ", "", x) for x in lines_out if x.startswith("SKIPPED")]
    figures = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    sys.path.insert(0, str(ROOT / "src"))
    from portefolje.sheets import read
    from portefolje.store.connection import APPLICATION_ID

    tag = APPLICATION_ID.to_bytes(4, "big").decode("ascii")
    promises = {
        k: v.format(app_id=f"{APPLICATION_ID:#010x} ('{tag}')") for k, v in PROMISES.items()
    }
    lines = [
        "# Reliability",
        "",
        "Written by `python tests/reliability_report.py` from one run of "
        + ", ".join(f"`tests/{name}`" for name in TESTS)
        + "; rerun it to refresh. Every figure below was counted by that run.",
        "",
        f"Run: {date.today().isoformat()}, {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}. Test result: {summary}.",
        "",
    ]
    for area, promise in promises.items():
        rows = [f for f in figures if f["area"] == area]
        if not rows:
            continue
        lines += [f"## {area.capitalize()}", "", promise, ""]
        for row in rows:
            details = ", ".join(
                f"{k.replace('_', ' ')}: {v}" for k, v in row.items() if k not in ("area", "what")
            )
            lines.append(f"- **{row['what']}** — {details}")
        lines.append("")
    lines += [
        "## Also checked on every test run",
        "",
        "- Every connection runs with foreign keys on and `synchronous=FULL` (asserted).",
        "- A database from a newer portefolje is refused without touching it: same file hash, no "
        "-wal or -shm file created.",
        "- The journal refuses UPDATE and DELETE (triggers); `history verify` and `db check` name "
        "the first altered row after someone drops the triggers and edits a row.",
        f"- A sheet is read within fixed bounds whatever it declares: at most {read.MAX_ROWS:,} "
        f"rows and {read.MAX_COLUMNS:,} columns (Excel's own limits), {read.MAX_CELLS:,} cells, "
        f"CSV cells up to {read.CSV_CELL_CHARS:,} characters; UTF-16 and undecodable CSV files, "
        "NUL bytes, rows of blanks, formula and error cells each get their one line or are "
        "skipped (tested).",
        "- `--help` and completing the command word import no command module; the table they "
        "read is compared with each command's own help (tests/test_startup.py).",
        "- HTML goes through jinja2's autoescaping: random text and a corpus of attacks "
        '(`<script>`, `"><img onerror=…>`, `<svg onload=…>`) render as the same visible text, '
        "with no tag or `on*` attribute of their own. Markdown escapes `|`, brackets and angle "
        "brackets and folds newlines.",
        "- CSV and XLSX: text starting with = + - @ tab or CR is neutralised (apostrophe in CSV, "
        "Excel's quote prefix in XLSX); no written sheet contains a formula element; numbers "
        "stay numbers.",
        f"- Parsers: {examples:,} generated amounts formatted by babel (including mio. and t.kr. "
        f"forms) and {examples:,} dates in every accepted pattern (1990-2040) parse back; "
        "impossible dates and arbitrary text raise only portefolje's own error.",
        "",
        DETECTION,
        NOT_TESTED,
    ]
    if skipped:
        lines += ["## Skipped in this run", ""]
        lines += [f"- {reason}" for reason in skipped]
        lines.append("")
    target = ROOT / "docs" / "reliability.md"
    target.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    print(f"{summary}\nwrote {target}")
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
