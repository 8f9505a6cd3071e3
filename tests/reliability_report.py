"""Run the reliability and property tests and write docs/reliability.md from their figures.

    python tests/reliability_report.py

Every figure in the document comes from this run: the tests record what they tried and what
survived (see the `record` fixture in conftest.py).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMISES = {
    "concurrency": "Several staff and a cron job share one file: concurrent writers wait for each "
    "other (BEGIN IMMEDIATE, busy timeout) and no change is lost.",
    "crash safety": "A writer killed at any moment leaves a database that passes the integrity "
    "check and holds all or none of each import (one transaction, "
    "synchronous=FULL).",
    "network shares": "WAL needs shared memory that SMB/NFS do not give: such files use the "
    "rollback journal, and asking for WAL there is refused.",
    "schema safety": "Migrations are all-or-nothing steps with a backup first; every earlier "
    "schema version upgrades to exactly the fresh schema.",
    "backups": "`db backup` uses SQLite's online backup: a consistent copy while others write.",
    "journal": "Every accepted change has its journal row in the same transaction; every refused "
    "command writes nothing. The journal is append-only and hash-chained.",
    "personal data": "Text holding a CPR number is refused, and the digits are never repeated.",
}


def main() -> None:
    out = Path(tempfile.mkdtemp()) / "figures.json"
    env = {**os.environ, "PORTEFOLJE_RELIABILITY_OUT": str(out)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_reliability.py"),
            str(ROOT / "tests" / "test_properties.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
    figures = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    lines = [
        "# Reliability",
        "",
        "Written by `python tests/reliability_report.py` from one run of "
        "`tests/test_reliability.py` and `tests/test_properties.py`; rerun it to refresh.",
        "",
        f"Run: {date.today().isoformat()}, {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}. Test result: {summary}.",
        "",
    ]
    for area, promise in PROMISES.items():
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
        "- HTML goes through jinja2's autoescaping: random text and a corpus of attacks "
        '(`<script>`, `"><img onerror=…>`, `<svg onload=…>`) render as the same visible text, '
        "with no tag or `on*` attribute of their own. Markdown escapes `|`, brackets and angle "
        "brackets and folds newlines.",
        "- CSV and XLSX: text starting with = + - @ tab or CR is neutralised (apostrophe in CSV, "
        "Excel's quote prefix in XLSX); no written sheet contains a formula element; numbers "
        "stay numbers.",
        "- Parsers: 2,000 generated amounts formatted by babel (including mio. and t.kr. forms) "
        "and 2,000 dates in every accepted pattern (1990-2040) parse back; impossible dates and "
        "arbitrary text raise only portefolje's own error.",
        "- Generated CPR numbers (born 1900 to today, half passing modulus 11) in Danish "
        "sentences are all detected; amounts, phone, CVR and EAN numbers, dates and case "
        "numbers are not.",
        "",
    ]
    target = ROOT / "docs" / "reliability.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"{summary}\nwrote {target}")
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
