"""What changed since the last published report: status, phase and health, solution steps,
milestones met, moved or cancelled, deliverables postponed, brought forward or delivered,
measurements, and savings, investments, targets and coverage added, revised or removed — each
by its effective date. One command's many changes (an import) read as one line with a total."""

from __future__ import annotations

import shlex
from pathlib import PurePath
from typing import Any

from portefolje.domain.amounts import format_short
from portefolje.reports.model import Column, Section, Table
from portefolje.reports.status import Context
from portefolje.store import changes as store

NOUN = {
    "status": "status_change",
    "solution": "solution_step",
    "milestone": "milestone_event",
    "milestone_move": "milestone_move",
    "deliverable_move": "deliverable_move",
    "deliverable": "deliverable_event",
    "measurement": "measurement",
    "saving": "saving",
    "investment": "investment",
    "target": "target",
    "coverage": "coverage",
}


def section(ctx: Context) -> Section:
    t = ctx.t
    details, summaries = store.changes(ctx.conn, ctx.portfolio_id, ctx.since.isoformat(), ctx.day)
    rows = [_detail(ctx, d) for d in details]
    used = store.commands(ctx.conn, sorted({s["recorded_at"] for s in summaries}))
    rows += [_summary(ctx, s, used.get(s["recorded_at"], "")) for s in summaries]
    rows.sort(key=lambda c: (c["date"], c["project"], c["change"]))
    ctx.data["changes"] = rows
    table = Table(
        [
            Column("date", t("date"), "date"),
            Column("project", t("project")),
            Column("change", t("change")),
        ],
        rows,
        t("no_changes"),
    )
    return Section("changes", t("changes_h").format(d=ctx.long(ctx.since)), [table])


def _line(date: str, project: str | None, text: str, kind: str) -> dict[str, Any]:
    return {"date": date, "project": project or "", "change": text, "kind": kind}


def _detail(ctx: Context, d: dict[str, Any]) -> dict[str, Any]:
    describe = DESCRIBE[d["kind"]]
    kind = d["event"] if d["kind"] == "status" else KIND_OF.get(d["kind"], d["kind"])
    return _line(d["date"], d["project"], describe(ctx, d), kind)


KIND_OF = {"milestone_move": "milestone", "deliverable_move": "deliverable"}


def _status(ctx: Context, d: dict[str, Any]) -> str:
    t = ctx.t
    note = f" – {d['note']}" if d["note"] and d["note"] != "created" else ""
    if d["event"] == "health":
        old = t(d["old_value"]) if d["old_value"] else "–"
        return t("ch_health").format(d=t(d["dimension"]), a=old, b=t(d["new_value"])) + note
    if d["event"] == "phase":
        return t("ch_phase").format(a=d["old_value"] or "–", b=d["new_value"])
    if d["old_value"] is None:
        return t("ch_created").format(b=t(d["new_value"]))
    return t("ch_status").format(a=t(d["old_value"]), b=t(d["new_value"])) + note


def _solution(ctx: Context, d: dict[str, Any]) -> str:
    t = ctx.t
    if d["old_status"] is None:
        return t("ch_solution_new").format(t=d["title"], b=t(d["new_status"]))
    return t("ch_solution").format(t=d["title"], a=t(d["old_status"]), b=t(d["new_status"]))


def _milestone(ctx: Context, d: dict[str, Any]) -> str:
    key = {"done": "ch_milestone_done", "undone": "ch_milestone_undone"}.get(
        d["event"], "ch_milestone_cancelled"
    )
    return ctx.t(key).format(t=d["title"]) + (f" – {d['reason']}" if d["reason"] else "")


def _milestone_move(ctx: Context, d: dict[str, Any]) -> str:
    return ctx.t("ch_milestone_moved").format(
        t=d["title"], a=ctx.long(d["old_due"]), b=ctx.long(d["new_due"])
    ) + (f" – {d['reason']}" if d["reason"] else "")


def _deliverable_move(ctx: Context, d: dict[str, Any]) -> str:
    key = "ch_postponed" if d["event"] == "postponed" else "ch_advanced"
    return ctx.t(key).format(t=d["title"], a=ctx.long(d["old_date"]), b=ctx.long(d["new_date"])) + (
        f" – {d['reason']}" if d["reason"] else ""
    )


def _deliverable(ctx: Context, d: dict[str, Any]) -> str:
    key = {
        "delivered": "ch_delivered",
        "undelivered": "ch_undelivered",
        "cancelled": "ch_deliverable_cancelled",
    }.get(d["event"], "ch_delivered")
    return ctx.t(key).format(c=d["committee"], t=d["title"]) + (
        f" – {d['reason']}" if d["reason"] else ""
    )


def _measurement(ctx: Context, d: dict[str, Any]) -> str:
    value = f"{d['value']:g}".replace(".", ",") if ctx.lang == "da" else f"{d['value']:g}"
    unit = f" {d['unit']}" if d["unit"] else ""
    return ctx.t("ch_measurement").format(t=d["name"], v=value + unit)


def _money(ctx: Context, d: dict[str, Any]) -> str:
    t = ctx.t
    kind = d["kind"]
    amount = d.get("realised") if d.get("realised") is not None else d["amount"]
    what = f"{d['code']} {format_short(amount, ctx.lang)}"
    if d.get("stage"):
        what += f" ({t('stage_' + d['stage'])})"
    share = d.get("attribution")
    if share is not None and share < 100:  # the report counts only the attributable share
        what += ", " + (t("ch_not_attributable") if share == 0 else t("ch_attributable")).format(
            p=share
        )
    if d.get("removed"):
        return t(f"ch_{kind}_remove").format(t=what)
    if not d.get("revised"):
        return t(f"ch_{kind}_add").format(t=what)
    old = d.get("old_realised") if d.get("old_realised") is not None else d.get("old_amount")
    before = format_short(old, ctx.lang) if old is not None else "–"
    if d.get("old_stage") and d["old_stage"] != d.get("stage"):
        before += f" ({t('stage_' + d['old_stage'])})"
    return t(f"ch_{kind}_edit").format(t=f"{d['code']} {before} → {what.split(' ', 1)[1]}")


DESCRIBE = {
    "status": _status,
    "solution": _solution,
    "milestone": _milestone,
    "milestone_move": _milestone_move,
    "deliverable_move": _deliverable_move,
    "deliverable": _deliverable,
    "measurement": _measurement,
    "saving": _money,
    "investment": _money,
    "target": _money,
    "coverage": _money,
}


def _summary(ctx: Context, s: dict[str, Any], command: str) -> dict[str, Any]:
    """'200.000 besparelser importeret fra besparelser.csv (i alt 1.234,5 mio. kr.)'."""
    t = ctx.t
    what = t.count(s["count"], NOUN[s["kind"]])
    source = _source(command)
    text = (
        t("ch_imported").format(what=what, f=source)
        if source
        else t("ch_registered").format(what=what, c=command or "?")
    )
    if s["total"] is not None and s["kind"] in ("saving", "investment", "target", "coverage"):
        text += " " + t("ch_total").format(a=format_short(int(s["total"]), ctx.lang))
    if s["first"] != s["last"]:
        text += f" ({ctx.long(s['first'])} – {ctx.long(s['last'])})"
    return _line(s["first"], "", text, "import")


def _source(command: str) -> str | None:
    """The file of an import command ('portefolje import besparelser.csv --kind savings')."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if "import" not in words:
        return None
    after = words[words.index("import") + 1 :]
    files = [
        w
        for w, prev in zip(after, [""] + after, strict=False)
        if not w.startswith("-") and prev not in ("--kind", "--sheet", "--encoding", "--delimiter")
    ]
    return PurePath(files[0]).name if files else None
