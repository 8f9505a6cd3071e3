"""The pipeline: proposed projects awaiting a decision, ranked by their weighted score over the
portfolio's criteria on the day, and the candidate segments. Left out of the page when nothing
awaits a decision (the JSON keeps the empty lists)."""

from __future__ import annotations

from typing import Any

from portefolje.reports.model import Block, Column, Paragraph, Section, Subheading, Table
from portefolje.reports.status import Context
from portefolje.store import pipeline


def section(ctx: Context) -> Section | None:
    t = ctx.t
    proposed = [p for p in ctx.projects if p["status"] == "proposed"]
    ranks = pipeline.ranking(ctx.conn, [p["id"] for p in proposed], ctx.as_of)
    rows = [
        {**r, "rank": i, "segment_name": ctx.segments[r["segment"]]["name"]}
        for i, r in enumerate(pipeline.ranked(proposed, ranks), start=1)
    ]
    for r in rows:
        r["scored"] = _scored(ctx, r)
    candidates = [
        s
        for s in pipeline.with_status(ctx.conn, list(ctx.segments.values()), ctx.as_of)
        if s["status"] == "proposed"
    ]
    criteria = pipeline.criteria(ctx.conn, portfolio_id=ctx.portfolio_id)
    ctx.data["pipeline"] = {
        "projects": [{k: r[k] for k in PROPOSAL_KEYS} for r in rows],
        "segments": [{k: s[k] for k in SEGMENT_KEYS} for s in candidates],
        "criteria": [{k: c[k] for k in ("code", "portfolio", "name", "weight")} for c in criteria],
    }
    if not rows and not candidates:
        return None
    blocks: list[Block] = [Subheading(t("pipeline_projects")), _criteria(ctx, criteria)]
    blocks.append(Table(_columns(ctx), rows, t("no_proposals")))
    if candidates:
        blocks += [
            Subheading(t("candidate_segments")),
            Table(
                [
                    Column("code", t("code")),
                    Column("name", t("segment")),
                    Column("population", t("count"), "number"),
                    Column("status_date", t("proposed_on"), "date"),
                ],
                candidates,
            ),
        ]
    return Section("pipeline", t("pipeline_h"), blocks)


PROPOSAL_KEYS = (
    "rank",
    "code",
    "title",
    "segment",
    "status_date",
    "weighted_score",
    "criteria_scored",
    "criteria_total",
    "scores",
)
SEGMENT_KEYS = ("code", "name", "portfolio", "population", "status_date")


def _scored(ctx: Context, r: dict[str, Any]) -> str:
    return ctx.t("scored_of").format(n=r["criteria_scored"], m=r["criteria_total"])


def _criteria(ctx: Context, criteria: list[dict[str, Any]]) -> Paragraph:
    if not criteria:
        return Paragraph(ctx.t("no_criteria"))
    names = ", ".join(f"{c['name']} ({c['weight']})" for c in criteria)
    return Paragraph(ctx.t("criteria_text").format(k=names))


def _columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("rank", t("rank"), "number"),
        Column("code", t("code")),
        Column("title", t("proposal")),
        Column("segment_name", t("segment")),
        Column("status_date", t("proposed_on"), "date"),
        Column("weighted_score", t("weighted_score"), "number"),
        Column("scored", t("scored")),
    ]
