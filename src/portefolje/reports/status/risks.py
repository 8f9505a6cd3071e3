"""The risk picture on the day: the largest open risks by score (with the first score beside the
latest, so the effect of a response shows), a 5×5 matrix of every open risk's latest
assessment, and the risks that were new, re-assessed, closed or reopened since the last report."""

from __future__ import annotations

from typing import Any

from portefolje.domain import governance
from portefolje.reports.model import Block, Column, Matrix, Section, Subheading, Table
from portefolje.reports.status import Context, more
from portefolje.store import risks

TOP = 10  # the largest risks listed by name; the matrix shows every open one
LEVELS = ("low", "medium", "high")


def section(ctx: Context) -> Section:
    t = ctx.t
    found = risks.open_scores(ctx.conn, ctx.portfolio_id, ctx.as_of)
    # the largest, read in full (with the first score): the same order, by score then id
    listed = risks.risks(ctx.conn, [r["id"] for r in found[:TOP]], as_of=ctx.as_of, history=False)
    top = [_row(r) for r in listed]
    # the latest, when there are many
    latest, total = risks.changed_between(
        ctx.conn, ctx.portfolio_id, ctx.since.isoformat(), ctx.day, ctx.list_limit
    )
    changes = [_change(ctx, c) for c in latest]
    hidden = total - len(changes)
    ctx.data.setdefault("more", {})["risk_changes"] = hidden
    matrix = _matrix(ctx, found)
    _per_project(ctx, found)
    ctx.data["risks"] = {
        "open": len(found),
        "top": [{k: r[k] for k in TOP_KEYS} for r in top],
        "matrix": matrix.cells,
        "changes": changes,
    }
    blocks: list[Block] = [
        Subheading(t("top_risks")),
        Table(_columns(ctx), top, t("no_risks")),
    ]
    if found:
        blocks.append(matrix)
    blocks += [
        Subheading(t("risk_changes_h").format(d=ctx.long(ctx.since))),
        Table(
            [
                Column("date", t("date"), "date"),
                Column("code", t("code")),
                Column("title", t("risk")),
                Column("change", t("change")),
            ],
            changes,
            t("no_risk_changes"),
        ),
        *more(ctx, hidden, "assessment"),
    ]
    return Section("risks", f"{t('risks_h')} ({t.count(len(found), 'open_risk')})", blocks)


TOP_KEYS = (
    "code",
    "title",
    "project",
    "portfolio",
    "probability",
    "consequence",
    "score",
    "level",
    "first_score",
    "assessed",
    "owner",
    "response",
)


def _row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "where": r["project"] or r["portfolio"],
        "score_text": f"{r['score']} ({r['probability']}×{r['consequence']})",
    }


def _columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("code", t("code")),
        Column("title", t("risk")),
        Column("where", t("project")),
        Column("score_text", t("score_pc")),
        Column("first_score", t("first_score"), "number"),
        Column("response", t("response")),
        Column("owner", t("risk_owner")),
    ]


def _matrix(ctx: Context, found: list[dict[str, Any]]) -> Matrix:
    """Probability 5 (top) to 1, consequence 1 (left) to 5; the codes of the open risks whose
    latest assessment lands in each cell."""
    t = ctx.t
    scale = list(governance.SCALE)
    cells: list[list[list[str]]] = [[[] for _ in scale] for _ in scale]
    for r in found:
        cells[5 - r["probability"]][r["consequence"] - 1].append(r["code"])
    levels = [[governance.level(p * c) for c in scale] for p in reversed(scale)]
    return Matrix(
        t("matrix"),
        t("probability"),
        t("consequence"),
        [str(p) for p in reversed(scale)],
        [str(c) for c in scale],
        cells,
        levels,
        [(level, t(f"level_{level}")) for level in LEVELS],
    )


def _change(ctx: Context, c: dict[str, Any]) -> dict[str, Any]:
    t = ctx.t
    if c["kind"] == "assessment":
        score = c["probability"] * c["consequence"]
        values = {"s": score, "p": c["probability"], "c": c["consequence"], "a": c["previous"]}
        text = t("rk_new" if c["previous"] is None else "rk_assessed").format(**values)
    else:
        text = t(f"rk_{c['kind']}") + (f" – {c['reason']}" if c["reason"] else "")
    return {
        "date": c["date"],
        "code": c["code"],
        "title": c["title"],
        "project": c["project"] or "",
        "change": text,
        "kind": c["kind"],
    }


def _per_project(ctx: Context, found: list[dict[str, Any]]) -> None:
    """The CSV's one row per project gets its open risks' count and the highest score."""
    by_project: dict[str, list[int]] = {}
    for r in found:
        if r["project"]:
            by_project.setdefault(r["project"], []).append(r["score"])
    for row in ctx.csv_rows:
        scores = by_project.get(row["code"], [])
        row["risks_open"] = len(scores)
        row["risk_score_max"] = max(scores) if scores else None
