"""Time whole processes, the way users and scheduled jobs run them, against peers measured in the
same run, and write docs/benchmarks.md. Exits 1 when a bar is missed (or a command fails).

    python bench/run.py                      # the full run (S, M and L; about 25 minutes)
    python bench/run.py --quick              # S and M, two runs each, no file written
    python bench/run.py --scales S,L --only "saving list" --work /tmp/bench

What it runs (every command a fresh process, stdout to /dev/null or a file):
- start-up: `python -c "import sqlite3"` (the interpreter floor), `--version`, `--help`, and
  `python -c "import portefolje.cli"` (what loading the command line costs, without a bar);
- at each scale: every report in every format as of the generation date, with the generated
  rows inside the "changes since" window (the savings and investments were registered that day,
  as by an import), `report status` also for one portfolio and with every generated event in the
  window; every list command, as a table and as JSON (peer: `sqlite-utils rows` of the same
  table), the calendars, and the three exports;
- single writes at S and at the largest scale, each run on fresh copies of both databases;
- imports: the JSON document of the largest scale into a fresh database and again into the same
  database; a 300-row projects sheet into S and into the largest scale; the savings CSV of the
  largest scale (200,000 lines at L) against `sqlite-utils insert --csv` of the same file.

Each figure is the best wall time of n runs (n shown) and the peak RSS of the child process
(os.wait4, this child alone). The two sides of every ratio bar run in turn, one run of each per
round (ours and the peer's; the same command at S and at L), and the ratio is the median of the
rounds' ratios, so that the machine's drift over minutes divides out. Databases come from
bench/generate.py, laid out around today (the generation date); --work keeps them for the next
run of the same day.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
MB = 1024  # ru_maxrss is in KB on Linux

# the bars (docs/../product.md, issue 17), as ratios measured in one run
VERSION_FLOOR = 4.0  # --version / python -c "import sqlite3"
HELP_VERSION = 1.3  # --help / --version
LIST_PEER = 1.0  # project/saving list --json / sqlite-utils rows of the same table
REPORT_SECONDS = 1.0  # every report at L
REPORT_GROWTH = 4.0  # every report L / M
WRITE_GROWTH = 1.2  # every single write at L / the same write at S
CSV_PEER = 1.0  # CSV import / sqlite-utils insert --csv of the same file
DOCUMENT_SECONDS = 15.0  # JSON document re-import at L
PEAK_MB = 200  # every command at L
JSON_MB = 1.0  # the status report's JSON at every scale, with every generated row in the window

REPORT_FORMATS = {
    "status": ("text", "md", "html", "json", "csv", "xlsx"),
    "savings": ("text", "md", "html", "json", "csv", "xlsx"),
    "deliverables": ("text", "md", "html", "json", "csv", "ics"),
    "project": ("text", "md", "html", "json"),
}
LIST_NOUNS = (
    "portfolio",
    "department",
    "committee",
    "segment",
    "project",
    "solution",
    "milestone",
    "deliverable",
    "indicator",
    "saving",
    "investment",
    "target",
    "index",
    "coverage",
    "risk",
    "meeting",
    "decision",
    "action",
    "criterion",
)
PEER_TABLE = {"project": "project", "saving": "saving"}  # list --json held to sqlite-utils rows


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


@dataclass
class Figure:
    seconds: float
    peak_kb: int
    runs: int
    failed: str = ""
    times: list[float] = field(default_factory=list)  # each run's seconds, round by round


def paired(ours: Figure, other: Figure) -> float:
    """The ratio of two commands measured in turn: the median of their ratios round by round.
    The two runs of a round are a second apart, so a slow spell of the machine (they last
    minutes here and can double a 0.1-s command) divides out, where the best of each side
    may come from different spells."""
    rounds = [a / b for a, b in zip(ours.times, other.times, strict=False)]
    return statistics.median(rounds) if rounds else float("inf")


@dataclass
class Spec:
    """One command to measure: its row in the table (none for a peer's) and what to do before
    each run (a fresh copy of a database)."""

    group: str
    label: str
    scale: str
    cmd: Sequence[str]
    before: Callable[[], None] | None = None
    peer: bool = False


@dataclass
class Row:
    group: str
    label: str
    scale: str
    figure: Figure | None
    compared: str = ""
    bar: str = ""
    ok: bool | None = None  # None: no bar on this row


@dataclass
class Bench:
    runs: int
    work: Path
    only: re.Pattern[str] | None
    env: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    figures: dict[tuple[str, str], Figure] = field(default_factory=dict)

    def wanted(self, label: str) -> bool:
        return self.only is None or bool(self.only.search(label))

    def measure(
        self,
        group: str,
        label: str,
        scale: str,
        cmd: Sequence[str],
        *,
        runs: int | None = None,
        before: Callable[[], None] | None = None,
        peer: bool = False,
    ) -> Figure | None:
        """Best wall time of `runs` runs and the largest peak RSS; the row is added to the table
        (and its memory held to the bar at L) unless it is a peer's."""
        return self.together([Spec(group, label, scale, cmd, before, peer)], runs=runs)[0]

    def together(
        self, specs: Sequence[Spec], *, runs: int | None = None, slow: bool = True
    ) -> list[Figure | None]:
        """Measure commands in turn, one run of each per round, for the two sides of a ratio
        bar: the machine's speed drifts over minutes on this shared machine, and drift then
        falls on both sides alike instead of on whichever ran second. A peer is measured only
        beside a wanted command of ours; `slow`: a command over 5 s cuts the rounds to two."""
        wanted = [s.peer or self.wanted(s.label) for s in specs]
        if all(s.peer or not w for s, w in zip(specs, wanted, strict=True)):
            return [None] * len(specs)
        runs = runs or self.runs
        times: list[list[float]] = [[] for _ in specs]
        best = [float("inf")] * len(specs)
        peak, done, failed = [0] * len(specs), [0] * len(specs), [""] * len(specs)
        round_ = 0
        while round_ < runs:
            for i, spec in enumerate(specs):
                if not wanted[i] or failed[i]:
                    continue
                if spec.before:
                    spec.before()
                seconds, kb, failed[i] = run_once(spec.cmd, self.env, self.work)
                done[i] += 1
                if not failed[i]:
                    times[i].append(seconds)
                    best[i], peak[i] = min(best[i], seconds), max(peak[i], kb)
                    if slow and round_ == 0 and seconds > 5 and runs > 2:
                        runs = 2  # a slow command: two runs say enough
            round_ += 1
        figures: list[Figure | None] = []
        for i, spec in enumerate(specs):
            if not wanted[i]:
                figures.append(None)
                continue
            figure = Figure(best[i], peak[i], done[i], failed[i], times[i])
            figures.append(figure)
            self.figures[(spec.label, spec.scale)] = figure
            if not spec.peer:
                self.add(spec.group, spec.label, spec.scale, figure)
            status = f"{best[i]:8.3f} s {peak[i] / MB:6.0f} MB"
            status = f"FAILED: {failed[i]}" if failed[i] else status
            print(f"  {spec.scale:4} {spec.label:62} {status}", flush=True)
        return figures

    def add(
        self,
        group: str,
        label: str,
        scale: str,
        figure: Figure | None,
        compared: str = "",
        bar: str = "",
        ok: bool | None = None,
    ) -> Row:
        if figure is not None and figure.failed:
            compared, bar, ok = figure.failed, "runs without error", False
        elif figure is not None and scale == "L" and figure.peak_kb / MB >= PEAK_MB:
            bar, ok = _join(bar, f"< {PEAK_MB} MB"), False
        elif figure is not None and scale == "L" and ok is None:
            bar, ok = _join(bar, f"< {PEAK_MB} MB"), True
        elif figure is not None and scale == "L":
            bar = _join(bar, f"< {PEAK_MB} MB")
        row = Row(group, label, scale, figure, compared, bar, ok)
        self.rows.append(row)
        return row

    def hold(self, row: Row | None, compared: str, bar: str, ok: bool) -> None:
        """Hold a measured row to a bar (its memory bar at L still applies)."""
        if row is None or row.figure is None or row.figure.failed:
            return
        row.compared = _join(row.compared, compared)
        row.bar = _join(bar, row.bar)
        row.ok = ok and row.ok is not False

    def row(self, label: str, scale: str) -> Row | None:
        return next((r for r in self.rows if r.label == label and r.scale == scale), None)


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a and b else a or b


def _measured(row: Row) -> str:
    """A missed row in the summary: its time and memory, then what it was compared with."""
    if row.figure is None:
        return row.compared
    return _join(f"{row.figure.seconds:.3f} s, {row.figure.peak_kb // MB} MB", row.compared)


def run_once(cmd: Sequence[str], env: dict[str, str], work: Path) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KB of this child alone, an error line or '')."""
    with tempfile.TemporaryFile(dir=work) as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        child.returncode = code
        if code != 0:
            err.seek(0)
            last = err.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            return seconds, usage.ru_maxrss, f"exit {code}: {last[0][:160]}"
    return seconds, usage.ru_maxrss, ""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average at the start {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){memory}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}{load}"
    )


# -- the databases -----------------------------------------------------------------------------


def generated(scale: str, work: Path, anchor: date, *extra: str) -> Path:
    """The generated database of a scale (kept in the work folder for the rest of the day)."""
    source = (HERE / "generate.py").read_bytes()
    # a new migration makes new databases (a kept one would be upgraded on every fresh copy)
    schema = sorted(p.name for p in (ROOT / "migrations").glob("*.sql"))
    key = hashlib.sha256(source + repr((scale, anchor, extra, schema)).encode()).hexdigest()[:10]
    db = work / f"{scale}-{key}.db"
    if not db.exists():
        print(f"generating {scale} {' '.join(extra)} …", flush=True)
        partial = db.with_suffix(".partial")
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--scale", scale, "--db", str(partial)]
            + ["--anchor", anchor.isoformat(), *extra],
            check=True,
            capture_output=True,
        )
        partial.rename(db)
    return db


def fresh_copy(source: Path, target: Path, *more: tuple[Path, Path]) -> Callable[[], None]:
    """Copy a database (and `more` (source, target) pairs, in order) before each run."""

    def copy() -> None:
        for origin, copied in ((source, target), *more):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{copied}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(origin, copied)
            # on disk before the command starts: otherwise the command's first fsync (its
            # COMMIT, the checkpoint at close) flushes the whole copy, 160 MB at L, and a
            # single write at L is timed as the copy's flush
            with copied.open("rb+") as handle:
                os.fsync(handle.fileno())

    return copy


def copies_of(work: Path, dbs: dict[str, Path], name: str) -> Callable[[], None]:
    """Fresh copies of every scale's database, the largest first, before each run of a command
    compared across scales. A command started right after copying 160 MB runs slower than one
    started after copying 2 MB: `saving add` on S took 0.103 s after its own copy and 0.131 s
    after L's (medians of 10, run in turn), and L 0.120 s. So every run follows the same
    copies, and the ratio measures the command."""
    order = sorted(dbs, key="SML".index, reverse=True)
    pairs = [(dbs[s], work / f"{name}-{s}.db") for s in order]
    return fresh_copy(pairs[0][0], pairs[0][1], *pairs[1:])


def targets(db: Path, anchor: date) -> dict[str, str]:
    """Records a single write can act on, the same kind of record at every scale: an active
    project, an open milestone of an active project, a planned deliverable after the anchor."""
    day = anchor.isoformat()
    conn = sqlite3.connect(db)
    status = (
        "(SELECT e.new_value FROM project_event e WHERE e.project_id = p.id AND e.kind = 'status' "
        "AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1)"
    )
    project = conn.execute(
        f"SELECT p.id, p.code FROM project p WHERE {status} = 'active' ORDER BY p.id LIMIT 1",
        (day,),
    ).fetchone()
    milestone = (
        conn.execute(
            "SELECT m.code, m.due_date FROM milestone m WHERE m.project_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM milestone_event e WHERE e.milestone_id = m.id) ORDER BY m.id LIMIT 1",
            (project[0],),
        ).fetchone()
        or conn.execute(
            f"SELECT m.code, m.due_date FROM milestone m JOIN project p ON p.id = m.project_id "
            f"WHERE {status} = 'active' AND NOT EXISTS (SELECT 1 FROM milestone_event e "
            "WHERE e.milestone_id = m.id) ORDER BY m.id LIMIT 1",
            (day,),
        ).fetchone()
    )
    deliverable = conn.execute(
        "SELECT d.code, d.meeting_date FROM deliverable d WHERE d.meeting_date > ? AND NOT EXISTS "
        "(SELECT 1 FROM deliverable_event e WHERE e.deliverable_id = d.id) AND NOT EXISTS "
        "(SELECT 1 FROM deliverable_postponement x WHERE x.deliverable_id = d.id) "
        "ORDER BY d.id LIMIT 1",
        (day,),
    ).fetchone()
    conn.close()
    later = date.fromisoformat(deliverable[1]) + timedelta(days=28)
    moved = max(date.fromisoformat(milestone[1]), anchor) + timedelta(days=30)
    return {
        "project": project[1],
        "milestone": milestone[0],
        "moved": moved.isoformat(),
        "deliverable": deliverable[0],
        "meeting": later.isoformat(),
    }


def projects_sheet(path: Path) -> None:
    """300 new projects on the segments and departments every scale has (S1-S16, D1-D6), as
    the projects template names the columns."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        out.writerow(["Kode", "Titel", "Målgruppe", "Projektejer", "Projektleder", "Afdelinger"])
        for i in range(1, 301):
            out.writerow(
                [
                    f"NY{i}",
                    f"Nyt projekt {i}: sammenhængende forløb",
                    f"S{i % 16 + 1}",
                    "Direktør",
                    f"Projektleder {i % 12}",
                    f"D{i % 6 + 1}, D{(i + 1) % 6 + 1}",
                ]
            )


# -- the measurements --------------------------------------------------------------------------


def startup(b: Bench, portefolje: str) -> None:
    print("start-up", flush=True)
    n = max(b.runs * 4, 10)  # short and noisy: more runs
    # `--version` and `--help` alone are answered before the command line is imported
    # (portefolje.entry); what importing it costs is shown beside them, without a bar
    floor, version, _, helped = b.together(
        [
            Spec(
                "start-up",
                "python -c 'import sqlite3' (interpreter floor)",
                "",
                [sys.executable, "-c", "import sqlite3"],
            ),
            Spec("start-up", "portefolje --version", "", [portefolje, "--version"]),
            Spec(
                "start-up",
                "python -c 'import portefolje.cli' (the command line, no command)",
                "",
                [sys.executable, "-c", "import portefolje.cli"],
            ),
            Spec("start-up", "portefolje --help", "", [portefolje, "--help"]),
        ],
        runs=n,
    )
    if floor and version:
        ratio = paired(version, floor)
        b.hold(
            b.row("portefolje --version", ""),
            f"{ratio:.2f}× the floor",
            f"≤ {VERSION_FLOOR:g}× floor",
            ratio <= VERSION_FLOOR,
        )
    if version and helped:
        ratio = paired(helped, version)
        b.hold(
            b.row("portefolje --help", ""),
            f"{ratio:.2f}× --version",
            f"≤ {HELP_VERSION:g}× --version",
            ratio <= HELP_VERSION,
        )


def reports(b: Bench, portefolje: str, db: Path, scale: str, anchor: date) -> None:
    print(f"reports at {scale}", flush=True)
    out = b.work / "out"
    out.mkdir(exist_ok=True)
    day = anchor.isoformat()
    variants: list[tuple[str, list[str]]] = []
    for report, formats in REPORT_FORMATS.items():
        subject = ["P1"] if report == "project" else []
        for fmt in formats:
            variants.append((f"report {report} --format {fmt}", [report, *subject, "-f", fmt]))
    variants += [
        (
            "report status --portfolio PF1 --format json",
            ["status", "--portfolio", "PF1", "-f", "json"],
        ),
        (
            "report status --portfolio PF1 --format html",
            ["status", "--portfolio", "PF1", "-f", "html"],
        ),
        # every generated event inside the window, not only the day's import
        (
            "report status --since (6 years) --format json",
            ["status", "--since", (anchor - timedelta(days=6 * 366)).isoformat(), "-f", "json"],
        ),
    ]
    for label, args in variants:
        fmt = args[args.index("-f") + 1]
        written = out / f"report.{fmt}"
        written.unlink(missing_ok=True)
        target = ["--out", str(written)] if fmt in ("xlsx", "json") else []
        cmd = [portefolje, "--db", str(db), "report", *args, "--as-of", day, *target]
        if args[0] == "deliverables":  # the committee calendar of the year around the date
            cmd += ["--from", (anchor - timedelta(days=182)).isoformat()]
            cmd += ["--to", (anchor + timedelta(days=182)).isoformat()]
        figure = b.measure("reports (as of the generation date)", label, scale, cmd)
        if figure and not figure.failed and args[0] == "status" and fmt == "json":
            # the changes since the last report are summarised, never one line per change
            size = written.stat().st_size
            b.hold(
                b.row(label, scale),
                f"{size / 1e6:.2f} MB of JSON",
                f"JSON < {JSON_MB:g} MB",
                size < JSON_MB * 1e6,
            )


def lists(b: Bench, portefolje: str, db: Path, scale: str, *, every: bool = True) -> None:
    """Every list command as a table and as JSON, the journal and the milestone calendar (or,
    not `every`, only the two JSON lists held to their peer)."""
    print(f"lists at {scale}", flush=True)
    base = [portefolje, "--db", str(db)]
    peers: dict[str, tuple[Figure | None, Figure | None]] = {}
    for noun in LIST_NOUNS if every else tuple(PEER_TABLE):
        if every:
            b.measure("lists", f"{noun} list", scale, [*base, noun, "list"])
        as_json = Spec("lists", f"{noun} list --json", scale, [*base, noun, "list", "--json"])
        if noun not in PEER_TABLE:
            b.together([as_json])
            continue
        table = PEER_TABLE[noun]
        rows_of = Spec(
            "lists",
            f"sqlite-utils rows DB {table}",
            scale,
            [tool("sqlite-utils"), "rows", str(db), table],
            peer=True,
        )
        # short commands (0.1-0.3 s): twice the runs, in turn with the peer
        mine, theirs = b.together([as_json, rows_of], runs=b.runs * 2)
        peers[noun] = (mine, theirs)
    if every:
        b.measure("lists", "history", scale, [*base, "history"])
        b.measure("lists", "history --json", scale, [*base, "history", "--json"])
        b.measure(
            "lists", "milestone list --format ics", scale, [*base, "milestone", "list", "-f", "ics"]
        )
    for noun, (ours, peer) in peers.items():
        label, table = f"{noun} list --json", PEER_TABLE[noun]
        if ours is None or peer is None or ours.failed or peer.failed:
            continue
        ratio = paired(ours, peer)
        b.hold(
            b.row(label, scale),
            f"{ratio:.2f}× sqlite-utils rows {table} ({peer.seconds:.3f} s)",
            f"≤ {LIST_PEER:g}× peer",
            ratio <= LIST_PEER,
        )


def exports(b: Bench, portefolje: str, db: Path, scale: str) -> None:
    print(f"exports at {scale}", flush=True)
    base = [portefolje, "--db", str(db), "export"]
    out = b.work / "out"
    out.mkdir(exist_ok=True)
    b.measure("exports", "export (JSON document)", scale, [*base, "--out", str(out / "doc.json")])
    b.measure(
        "exports",
        "export --format xlsx",
        scale,
        [*base, "-f", "xlsx", "--out", str(out / "doc.xlsx")],
    )

    def empty_folder() -> None:
        shutil.rmtree(out / "csv", ignore_errors=True)

    b.measure(
        "exports",
        "export --format csv",
        scale,
        [*base, "-f", "csv", "--out", str(out / "csv")],
        before=empty_folder,
    )


def single_writes(t: dict[str, str], anchor: date) -> dict[str, list[str]]:
    """The single writes measured at S and at the largest scale (and counted statement by
    statement at S and M in tests/test_startup.py), on the records `targets` picks."""
    return {
        "saving add (generated code)": [
            "saving",
            "add",
            "--project",
            t["project"],
            "--amount",
            "1,5 mio",
            "--year",
            str(anchor.year),
            "--stage",
            "estimated",
        ],
        "project add (generated code)": ["project", "add", "Nyt projekt", "--segment", "S1"],
        "project pause": ["project", "pause", t["project"], "--reason", "Afventer strategien"],
        "project health": [
            "project",
            "health",
            t["project"],
            "yellow",
            "--comment",
            "Forsinket",
        ],
        "milestone done": ["milestone", "done", t["milestone"]],
        "milestone move": [
            "milestone",
            "move",
            t["milestone"],
            "--due",
            t["moved"],
            "--reason",
            "Afventer data",
        ],
        "deliverable postpone": [
            "deliverable",
            "postpone",
            t["deliverable"],
            "--meeting",
            t["meeting"],
            "--reason",
            "Sagen er ikke klar",
        ],
        "risk add": [
            "risk",
            "add",
            "Nøglemedarbejder stopper",
            "--project",
            t["project"],
            "--probability",
            "3",
            "--consequence",
            "4",
        ],
    }


def writes(b: Bench, portefolje: str, dbs: dict[str, Path], anchor: date) -> None:
    small, large = "S", max(dbs, key="SML".index)
    if small not in dbs or small == large:
        return  # writes are compared with the same write at S
    print(f"single writes at {small} and {large}", flush=True)
    both = {small: dbs[small], large: dbs[large]}
    copies = copies_of(b.work, both, "write")
    commands: dict[str, list[Spec]] = {}
    for scale, db in both.items():
        base = [portefolje, "--db", str(b.work / f"write-{scale}.db")]
        for label, args in single_writes(targets(db, anchor), anchor).items():
            spec = Spec("single writes (a fresh copy each run)", label, scale, [*base, *args])
            commands.setdefault(label, []).append(spec)
    # the same write at S and at L in turn, after the same copies; twice the runs, as the
    # commands take about 0.1 s and a best of five still swung the ratio by a fifth
    for pair in commands.values():
        b.together([replace(spec, before=copies) for spec in pair], runs=b.runs * 2)
    for row in [r for r in b.rows if r.scale == large and r.group.startswith("single writes")]:
        at_s = b.figures.get((row.label, small))
        if row.figure is None or at_s is None or at_s.failed:
            continue
        ratio = paired(row.figure, at_s)
        b.hold(
            row,
            f"{ratio:.2f}× at {small} ({at_s.seconds:.3f} s)",
            f"≤ {WRITE_GROWTH:g}× at {small}",
            ratio <= WRITE_GROWTH,
        )


def imports(b: Bench, portefolje: str, dbs: dict[str, Path], anchor: date) -> None:
    large = max(dbs, key="SML".index)
    print(f"imports at {large}", flush=True)
    group = "imports"
    doc, fresh = b.work / "out" / f"doc-{large}.json", b.work / "import.db"
    (b.work / "out").mkdir(exist_ok=True)
    label_fresh = f"import the JSON document of {large} into a fresh database"
    label_again = f"import the JSON document of {large} again into the same database"
    if b.wanted(label_fresh) or b.wanted(label_again):
        subprocess.run(
            [portefolje, "--db", str(dbs[large]), "export", "--out", str(doc)],
            check=True,
            env=b.env,
        )

    def blank() -> None:
        # a new file, as `init` makes it (copying L here only to delete it left the kernel
        # flushing and freeing 160 MB during the import: 15-16 s against 12.6 s without)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        subprocess.run(
            [portefolje, "--db", str(fresh), "init"], check=True, capture_output=True, env=b.env
        )

    for label, before in ((label_fresh, blank), (label_again, fresh_copy(dbs[large], fresh))):
        figure = b.measure(
            group,
            label,
            large,
            [portefolje, "--db", str(fresh), "import", str(doc)],
            runs=min(b.runs, 2),
            before=before,
        )
        if figure and not figure.failed and large == "L":
            b.hold(
                b.row(label, large),
                "",
                f"< {DOCUMENT_SECONDS:g} s",
                figure.seconds < DOCUMENT_SECONDS,
            )

    sheet = b.work / "out" / "projects-300.csv"
    projects_sheet(sheet)
    label = "import a 300-row projects sheet"
    both = {s: dbs[s] for s in dict.fromkeys(("S", large)) if s in dbs}
    copies = copies_of(b.work, both, "sheet")
    b.together(
        [
            Spec(
                group,
                label,
                scale,
                [portefolje, "--db", str(b.work / f"sheet-{scale}.db"), "import", str(sheet)]
                + ["--kind", "projects"],
                before=copies,
            )
            for scale in both
        ],
        runs=b.runs * 2,
    )
    at_s, at_large = b.figures.get((label, "S")), b.row(label, large)
    if large != "S" and at_s and not at_s.failed and at_large and at_large.figure:
        ratio = paired(at_large.figure, at_s)
        b.hold(
            at_large,
            f"{ratio:.2f}× at S ({at_s.seconds:.3f} s)",
            f"≤ {WRITE_GROWTH:g}× at S",
            ratio <= WRITE_GROWTH,
        )

    lines = {"S": "2,000", "M": "20,000", "L": "200,000"}[large]
    label = f"import {lines} savings lines (CSV: semicolons, cp1252)"
    if not b.wanted(label):
        return
    savings_csv = b.work / f"savings-{large}-{anchor}.csv"
    empty = generated(large, b.work, anchor, "--without-savings", "--csv", str(savings_csv))
    target = b.work / "csv-import.db"
    # in turn, three runs each even though they take seconds: the ratio is the bar
    ours, peer = b.together(
        [
            Spec(
                group,
                label,
                large,
                [portefolje, "--db", str(target), "import", str(savings_csv), "--kind", "savings"],
                before=fresh_copy(empty, target),
            ),
            Spec(
                group,
                "sqlite-utils insert --csv (same file)",
                large,
                [
                    tool("sqlite-utils"),
                    "insert",
                    str(target),
                    "saving_csv",
                    str(savings_csv),
                    "--csv",
                    "--delimiter",
                    ";",
                    "--encoding",
                    "cp1252",
                ],
                before=fresh_copy(empty, target),
                peer=True,
            ),
        ],
        runs=min(b.runs, 3),
        slow=False,
    )
    if ours and peer and not ours.failed and not peer.failed:
        ratio = paired(ours, peer)
        b.hold(
            b.row(label, large),
            f"{ratio:.2f}× sqlite-utils insert --csv ({peer.seconds:.3f} s)",
            f"≤ {CSV_PEER:g}× peer",
            ratio <= CSV_PEER,
        )


def growth(b: Bench, scales: list[str]) -> None:
    """Every report at L within the second bar and L/M within the growth bar."""
    for row in b.rows:
        if not row.group.startswith("reports") or row.figure is None or row.figure.failed:
            continue
        if row.scale == "L":
            b.hold(row, "", f"< {REPORT_SECONDS:g} s", row.figure.seconds < REPORT_SECONDS)
            at_m = b.figures.get((row.label, "M"))
            if at_m and not at_m.failed:
                ratio = row.figure.seconds / at_m.seconds
                b.hold(row, f"L/M {ratio:.1f}", f"L/M ≤ {REPORT_GROWTH:g}", ratio <= REPORT_GROWTH)


# -- the document --------------------------------------------------------------------------------


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| measurement | scale | best of n (s) | n | peak memory | compared with | bar | result |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        f = r.figure
        seconds = "" if f is None or f.failed else f"{f.seconds:.3f}"
        runs = "" if f is None else str(f.runs)
        peak = "" if f is None or f.failed else f"{f.peak_kb / MB:.0f} MB"
        result = {None: "", True: "pass", False: "**MISSED**"}[r.ok]
        label = r.label.replace("|", "\\|")
        lines.append(
            f"| {label} | {r.scale} | {seconds} | {runs} | {peak} | {r.compared} | {r.bar} "
            f"| {result} |"
        )
    return lines


def document(b: Bench, args: argparse.Namespace, anchor: date, started: float) -> str:
    passed = sum(1 for r in b.rows if r.ok is True)
    missed = [r for r in b.rows if r.ok is False]
    parts = [
        "# Benchmarks",
        "",
        f"Written by `{' '.join(['python bench/run.py', *sys.argv[1:]])}` on "
        f"{date.today().isoformat()} ({(time.perf_counter() - started) / 60:.0f} minutes); "
        "rerun it to refresh this file. Whole processes, as users and scheduled jobs run them: "
        "each figure is the best wall time of n runs and the peak resident memory of that child "
        "process alone. A ratio compares two commands measured in turn in this same run (one "
        "run of ours, one of the peer's or of the other scale, and so on): it is the median of "
        "the rounds' ratios, while the times shown are each side's best. A write compared "
        "across scales runs after fresh copies of both databases.",
        "",
        f"Machine: {machine()}.",
        "",
        f"Data (bench/generate.py, laid out around the generation date {anchor.isoformat()}): "
        "S = 50 projects, 2,000 savings lines; M = 500 projects, 20,000 savings lines; L = 5,000 "
        "projects, 20,000 solutions, 50,000 milestones, 10,000 deliverables, 200,000 savings "
        "lines, 5,000 investments, 5,000 risks, 1,200 meetings with 4,000 decisions and 6,000 "
        "actions, 5,000 indicators, with status, health and event history, journaled as an "
        "import journals them (batch rows of up to 1,000 records). The savings and "
        "investments were registered on the generation date, as by an import, so every report "
        'as of that date has them inside its "changes since" window; `--since (6 years)` puts '
        "every generated event inside it too.",
        "",
        f"**Bars: {passed} passed, {len(missed)} missed.**",
        "",
    ]
    if missed:
        parts += ["Missed:", ""]
        parts += [f"- {r.label} at {r.scale or '-'}: {_measured(r)} (bar: {r.bar})" for r in missed]
        parts.append("")
    for group in dict.fromkeys(r.group for r in b.rows):
        parts += [f"## {group[0].upper()}{group[1:]}", ""]
        parts += table([r for r in b.rows if r.group == group])
        parts.append("")
    parts += [
        'Bars (issue 17; `docs` of the product): `--version` ≤ 4× `python -c "import sqlite3"`; '
        "`--help` ≤ 1.3× `--version` (both answered before the command line is imported, "
        "see `src/portefolje/entry.py`); "
        "`project list --json` and `saving list --json` ≤ 1.0× "
        "`sqlite-utils rows` of the same table at every scale; every report at L under 1 s and "
        "L/M ≤ 4; every single write (and the 300-row sheet) at L ≤ 1.2× the same at S; the CSV "
        "import of 200,000 lines ≤ 1.0× `sqlite-utils insert --csv` of the same file; the JSON "
        "document re-import of L under 15 s; the peak memory of every command at L under 200 MB; "
        "the status report's JSON under 1 MB (issue 11) with every generated row in the window.",
        "",
    ]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command (best of)")
    parser.add_argument("--scales", default="S,M,L")
    parser.add_argument("--quick", action="store_true", help="S and M, two runs; no file")
    parser.add_argument("--only", help="only measurements whose label matches this regex")
    parser.add_argument("--work", type=Path, help="keep the generated databases here")
    parser.add_argument("--out", type=Path, help="default: docs/benchmarks.md on a full run")
    args = parser.parse_args()
    if args.quick:
        args.scales, args.runs = "S,M", 2
    scales = [s for s in "SML" if s in args.scales.split(",")]
    full = scales == ["S", "M", "L"] and not args.only and args.runs >= 3
    out = args.out or (ROOT / "docs" / "benchmarks.md" if full else None)
    started, anchor = time.perf_counter(), date.today()
    work = args.work or Path(tempfile.mkdtemp(prefix="portefolje-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # as installed with pip: the package's modules compiled once, read from __pycache__
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    import portefolje

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(portefolje.__file__).parent)],
        check=True,
        capture_output=True,
        env=env,
    )
    b = Bench(args.runs, work, re.compile(args.only) if args.only else None, env)
    portefolje_cmd = tool("portefolje")
    try:
        startup(b, portefolje_cmd)
        demo = work / "demo"
        if not (demo / "demo.db").exists():
            subprocess.run(
                [portefolje_cmd, "demo", "--out", str(demo)],
                check=True,
                capture_output=True,
                env=env,
            )
        lists(b, portefolje_cmd, demo / "demo.db", "demo", every=False)
        dbs = {s: generated(s, work, anchor) for s in scales}
        for scale in scales:
            reports(b, portefolje_cmd, dbs[scale], scale, anchor)
            lists(b, portefolje_cmd, dbs[scale], scale)
            exports(b, portefolje_cmd, dbs[scale], scale)
        writes(b, portefolje_cmd, dbs, anchor)
        imports(b, portefolje_cmd, dbs, anchor)
        growth(b, scales)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = document(b, args, anchor, started)
    missed = [r for r in b.rows if r.ok is False]
    print()
    print("\n".join(line for line in text.splitlines() if line.startswith(("**Bars", "- "))))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
