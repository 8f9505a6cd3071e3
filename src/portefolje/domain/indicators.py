"""Effect indicators (effektmål): achievement against target and the trend of measurements."""

from __future__ import annotations


def achievement(baseline: float | None, target: float | None, latest: float | None) -> float | None:
    """Per cent of the way from baseline to target (0 at baseline, 100 at target), one decimal.

    Without a baseline the way is counted from zero. None when there is no target or no value.
    """
    if target is None or latest is None:
        return None
    start = baseline if baseline is not None else 0.0
    if target == start:
        return 100.0 if latest == target else 0.0
    return round((latest - start) / (target - start) * 100, 1)


def met(baseline: float | None, target: float | None, latest: float | None) -> bool:
    """True when the latest value has reached the target (in the target's direction)."""
    share = achievement(baseline, target, latest)
    return share is not None and share >= 100.0


def trend(values: list[float], baseline: float | None, target: float | None) -> str | None:
    """'improving', 'worsening' or 'flat' from the last two values (toward the target is
    improving); None with fewer than two values."""
    if len(values) < 2:
        return None
    delta = values[-1] - values[-2]
    if delta == 0:
        return "flat"
    start = baseline if baseline is not None else values[0]
    upward = target is None or target >= start
    return "improving" if (delta > 0) == upward else "worsening"
