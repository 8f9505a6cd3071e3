"""Time whole processes, as users and scheduled jobs run them, and write docs/benchmarks.md.

    python bench/run.py [--runs 5] [--scales S,M,L] [--out docs/benchmarks.md]

Measures `--version`; `project list --json` on the demo database against `sqlite-utils rows` on
the same table in the same run; `report status` and `report savings` as JSON at S, M and L and
the L/M ratio; the HTML status report at L; the import of the 200,000-line savings CSV; and the
peak memory of each (ru_maxrss of the child). Databases are generated with bench/generate.py in a
temporary folder. Prints one table and writes it, with the machine it ran on, to the output file.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def timed(
    cmd: list[str], runs: int, env: dict[str, str] | None = None, before: list[str] | None = None
) -> tuple[float, float, float, int]:
    """(median, min, max) wall seconds and the peak RSS in KB over `runs` runs of `cmd`."""
    times, peak = [], 0
    for _ in range(runs):
        if before:
            subprocess.run(before, check=True, capture_output=True)
        start = time.perf_counter()
        child = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not all children's
        times.append(time.perf_counter() - start)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"failed ({child.returncode}): {' '.join(cmd)}")
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), min(times), max(times), peak


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
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){memory}, "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", default="S,M,L")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    portefolje, python = tool("portefolje"), sys.executable
    work = Path(tempfile.mkdtemp(prefix="portefolje-bench-"))
    rows: list[tuple[str, str, str, str]] = []

    def add(label: str, result: tuple[float, float, float, int], bar: str = "") -> float:
        median, low, high, peak = result
        rows.append((label, f"{median:.3f} s ({low:.3f}–{high:.3f})", f"{peak / 1024:.0f} MB", bar))
        print(f"{label:58} {rows[-1][1]:26} {rows[-1][2]:>8}  {bar}", flush=True)
        return median

    subprocess.run(
        [portefolje, "demo", "--out", str(work / "demo")], check=True, capture_output=True
    )
    demo = work / "demo" / "demo.db"
    add("portefolje --version", timed([portefolje, "--version"], args.runs), "< 0.1 s")
    ours = add(
        "portefolje project list --json (demo database)",
        timed([portefolje, "--db", str(demo), "project", "list", "--json"], args.runs),
    )
    theirs = add(
        "sqlite-utils rows demo.db project (same table)",
        timed([tool("sqlite-utils"), "rows", str(demo), "project"], args.runs),
    )
    rows.append(("ratio project list / sqlite-utils rows", f"{ours / theirs:.2f}", "", "≤ 1"))
    print(f"{'ratio project list / sqlite-utils rows':58} {ours / theirs:.2f}  ≤ 1")
    add(
        "python -c 'import sqlite3' (interpreter floor)",
        timed([python, "-c", "import sqlite3"], args.runs),
    )

    medians: dict[tuple[str, str], float] = {}
    for scale in args.scales.split(","):
        db = work / f"{scale}.db"
        subprocess.run(
            [python, str(HERE / "generate.py"), "--scale", scale, "--db", str(db)],
            check=True,
            capture_output=True,
        )
        for report in ("status", "savings"):
            medians[(scale, report)] = add(
                f"report {report} --format json, scale {scale}",
                timed(
                    [
                        portefolje,
                        "--db",
                        str(db),
                        "report",
                        report,
                        "--format",
                        "json",
                        "--as-of",
                        "2021-06-01",
                    ],
                    args.runs,
                ),
                "< 1 s" if scale == "L" else "",
            )
    for report in ("status", "savings"):
        if ("L", report) in medians and ("M", report) in medians:
            ratio = medians[("L", report)] / medians[("M", report)]
            rows.append((f"L/M ratio, report {report} (10× the data)", f"{ratio:.1f}", "", "≤ 10"))
            print(f"{'L/M ratio, report ' + report:58} {ratio:.1f}  ≤ 10")
    if "L" in args.scales.split(","):
        add(
            "report status --format html, scale L",
            timed(
                [
                    portefolje,
                    "--db",
                    str(work / "L.db"),
                    "report",
                    "status",
                    "--format",
                    "html",
                    "--as-of",
                    "2021-06-01",
                ],
                args.runs,
            ),
        )
        empty, csv_file, target = work / "L-empty.db", work / "savings.csv", work / "L-import.db"
        subprocess.run(
            [
                python,
                str(HERE / "generate.py"),
                "--scale",
                "L",
                "--db",
                str(empty),
                "--without-savings",
                "--csv",
                str(csv_file),
            ],
            check=True,
            capture_output=True,
        )
        add(
            "import 200,000 savings lines (semicolon CSV, cp1252)",
            timed(
                [portefolje, "--db", str(target), "import", str(csv_file), "--kind", "savings"],
                max(1, min(args.runs, 3)),
                before=["sh", "-c", f"rm -f '{target}'*; cp '{empty}' '{target}'; sync"],
            ),
            "< 10 s, < 200 MB",
        )
    shutil.rmtree(work, ignore_errors=True)
    table = ["| measurement | median (min–max) | peak memory | bar |", "|---|---:|---:|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text = (
        "# Benchmarks\n\nWritten by `python bench/run.py` (whole processes, "
        f"{args.runs} runs each; the import {max(1, min(args.runs, 3))}). Rerun it to refresh this "
        "file.\n\n"
        f"Machine: {machine()}.\n\n" + "\n".join(table) + "\n\n"
        "Scales (bench/generate.py): S = 50 projects; M = 500; L = 5,000 projects, 20,000 "
        "solutions, 50,000 milestones, 10,000 deliverables, 200,000 savings lines and 5,000 "
        "investments, with status/health history and one journal row per record.\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
