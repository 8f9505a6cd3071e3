"""The README works as written: its shell blocks, from "A first session" on, run in order in a
fresh bash with a fresh home folder and no database, as a newcomer would type them after the
Quick start (whose virtual environment the first block activates)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
ROOT = README.parent


def shell_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    session = text.split("## A first session", 1)[1].split("## Command reference", 1)[0]
    # an optional extra's installation is the one block a test must not run (it needs PyPI)
    return [b for b in re.findall(r"```sh\n(.*?)```", session, re.S) if "pip install" not in b]


def test_readme_blocks_run_in_order_in_a_fresh_shell(tmp_path: Path) -> None:
    blocks = shell_blocks()
    commands = [line for b in blocks for line in b.splitlines() if line.startswith("portefolje ")]
    assert len(commands) > 40
    # the Quick start's environment and the repository's examples, where the reader has them
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
    }
    # one shell for the whole session (the first block's export holds for the rest); each
    # command is echoed to stderr first, so a failure names the line as the README has it
    script = "\n".join(blocks)
    done = subprocess.run(
        ["bash", "-e", "-v", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert (tmp_path / "portefolje.db").exists()  # the first session's own database, in ~
    assert not os.path.exists(ROOT / "portefolje.db")
