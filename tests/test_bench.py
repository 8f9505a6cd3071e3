"""The benchmark's own mechanics (bench/run.py): the two sides of a ratio bar run in turn, and a
write compared across scales runs after the same fresh copies. Real processes, real files."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from run import Bench, Figure, Spec, copies_of, paired  # noqa: E402


def _appends(log: Path, mark: str, *, fail: bool = False) -> list[str]:
    """A command that appends `mark` to `log` (and exits 3 when `fail`)."""
    code = f"open({str(log)!r}, 'a').write({mark!r})"
    if fail:
        code += "; raise SystemExit(3)"
    return [sys.executable, "-c", code]


def _bench(tmp_path: Path, only: str | None = None) -> Bench:
    return Bench(3, tmp_path, re.compile(only) if only else None, dict(os.environ))


def test_ratio_sides_run_in_turn_and_a_peer_has_no_row(tmp_path: Path) -> None:
    log = tmp_path / "log"
    b = _bench(tmp_path)
    ours, peer = b.together(
        [
            Spec("lists", "ours", "S", _appends(log, "A")),
            Spec("lists", "peer", "S", _appends(log, "B"), peer=True),
        ]
    )
    assert log.read_text() == "ABABAB"
    assert ours is not None and peer is not None
    assert (ours.runs, peer.runs) == (3, 3)
    assert not ours.failed and ours.seconds > 0 and ours.peak_kb > 0
    assert [r.label for r in b.rows] == ["ours"]
    assert b.figures[("peer", "S")] is peer


def test_a_failing_side_stops_while_the_other_goes_on(tmp_path: Path) -> None:
    log = tmp_path / "log"
    b = _bench(tmp_path)
    bad, good = b.together(
        [
            Spec("writes", "bad", "S", _appends(log, "X", fail=True)),
            Spec("writes", "good", "S", _appends(log, "G")),
        ]
    )
    assert log.read_text() == "XGGG"
    assert bad is not None and bad.failed.startswith("exit 3")
    assert b.row("bad", "S").ok is False
    assert good is not None and good.runs == 3 and not good.failed


def test_a_peer_runs_only_beside_a_wanted_command(tmp_path: Path) -> None:
    log = tmp_path / "log"
    b = _bench(tmp_path, only="something else")
    figures = b.together(
        [
            Spec("lists", "ours", "S", _appends(log, "A")),
            Spec("lists", "peer", "S", _appends(log, "B"), peer=True),
        ]
    )
    assert figures == [None, None]
    assert not log.exists() and b.rows == []


def test_each_run_follows_the_same_fresh_copies_largest_first(tmp_path: Path) -> None:
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    small.write_bytes(b"S" * 10)
    large.write_bytes(b"L" * 1000)
    copies = copies_of(tmp_path, {"S": small, "L": large}, "write")
    copies()
    written = {s: tmp_path / f"write-{s}.db" for s in "SL"}
    assert written["S"].read_bytes() == b"S" * 10
    assert written["L"].read_bytes() == b"L" * 1000
    # a run's leftovers (its write, its WAL) are gone before the next run
    written["S"].write_bytes(b"changed")
    wal = Path(f"{written['L']}-wal")
    wal.write_bytes(b"wal")
    first_copied = written["L"].stat().st_mtime_ns
    copies()
    assert written["S"].read_bytes() == b"S" * 10 and not wal.exists()
    assert written["L"].stat().st_mtime_ns <= written["S"].stat().st_mtime_ns
    assert written["L"].stat().st_mtime_ns >= first_copied


@pytest.mark.parametrize("runs", [1, 2])
def test_runs_are_rounds(tmp_path: Path, runs: int) -> None:
    log = tmp_path / "log"
    b = _bench(tmp_path)
    b.together([Spec("g", label, "", _appends(log, label)) for label in "abc"], runs=runs)
    assert log.read_text() == "abc" * runs


def test_a_ratio_is_the_median_of_the_rounds_ratios(tmp_path: Path) -> None:
    """A slow spell that doubles one side's runs in some rounds doubles the other side's in
    the same rounds: the rounds' ratios stay put, where the best of each side would not."""
    ours = Figure(0.100, 0, 5, times=[0.100, 0.200, 0.210, 0.100, 0.202])
    other = Figure(0.082, 0, 5, times=[0.098, 0.196, 0.082, 0.099, 0.200])
    assert ours.seconds / other.seconds > 1.2  # best against best: the spell decides
    assert paired(ours, other) == pytest.approx(1.02, abs=0.01)
    assert paired(ours, Figure(0.1, 0, 0, failed="exit 1")) == float("inf")
    log = tmp_path / "log"
    b = _bench(tmp_path)
    measured = b.together([Spec("g", "a", "", _appends(log, "a"))], runs=4)[0]
    assert measured is not None and len(measured.times) == 4
    assert measured.seconds == min(measured.times)
