"""Start the reader site (`portefolje serve`) and screenshot its pages with headless Chromium.

    python scripts/screenshot_site.py [--db FILE] [--out DIR] [--as-of 2019-06-05]

Without --db it makes the demo database (`portefolje demo`) in a temporary folder. Needs the web
extra (pip install ".[web]") and Chromium (apt-get install -y chromium). Writes one PNG per page
into --out (default: a temporary folder, printed at the end); docs/site.png in the README is the
report page of the demo, taken with this script.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def pages(database: str, as_of: str) -> dict[str, str]:
    """Name -> path of the pages worth looking at."""
    return {
        "index": "/",
        "database": f"/{database}",
        "report": f"/-/rapport?portefolje=FOM&dato={as_of}",
        "project": f"/-/projekt/FOM1?dato={as_of}",
        "overdue": f"/{database}/overskredne_milepaele?dato={as_of}",
        "gap": f"/{database}/mangler_pr_afdeling_og_aar?dato={as_of}&fra_aar=2017",
        "calendar": f"/{database}/udvalgskalender?dato=2019-01-01&til=2019-06-30",
        "paused": f"/{database}/projekter_paa_pause?dato={as_of}",
        "projects": f"/{database}/project",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the site did not answer at {url}")


def shoot(chromium: str, url: str, png: Path, size: str) -> None:
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
             f"--screenshot={png}", url],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--as-of", default="2019-06-05")
    parser.add_argument("--size", default="1100,1400", help="window size in pixels: W,H")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is missing: apt-get install -y chromium")
    work = Path(tempfile.mkdtemp(prefix="portefolje-site-"))
    db = args.db
    if db is None:
        subprocess.run(
            [sys.executable, "-m", "portefolje", "demo", "--out", str(work / "demo")], check=True
        )
        db = work / "demo" / "demo.db"
    out = args.out or work / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "portefolje", "--db", str(db), "serve", "--port", str(port)],
        env={**os.environ, "PORTEFOLJE_TODAY": args.as_of},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        for name, path in pages(db.stem, args.as_of).items():
            shoot(chromium, base + path, out / f"{name}.png", args.size)
            print(out / f"{name}.png")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
