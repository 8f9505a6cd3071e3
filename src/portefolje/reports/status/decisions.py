"""What the steering bodies decided since the last report, and the actions still open on the
day, overdue first (with the days they are late)."""

from __future__ import annotations

from portefolje.reports.model import Block, Column, Paragraph, Section, Subheading, Table
from portefolje.reports.status import Context, more
from portefolje.store import meetings


def section(ctx: Context) -> Section:
    t = ctx.t
    # the latest, when there are many
    decided, total_decided = meetings.latest_decisions(
        ctx.conn, ctx.portfolio_id, ctx.since.isoformat(), ctx.day, ctx.list_limit
    )
    hidden_decisions = total_decided - len(decided)
    rows = [{**d, "projects_text": ", ".join(d["projects"])} for d in decided]
    # the most overdue first (the order of `actions`); only those shown are read in full
    shown, total, overdue = meetings.open_actions(
        ctx.conn, ctx.portfolio_id, ctx.as_of, ctx.list_limit
    )
    ctx.data["decisions"] = [{k: d[k] for k in DECISION_KEYS} for d in decided]
    counts = [t.count(total, "open_action")]
    hidden = total - len(shown)
    open_actions = [
        {**a, "origin": " · ".join(x for x in (a["decision"], a["project"]) if x)} for a in shown
    ]
    ctx.data["actions"] = [{k: a[k] for k in ACTION_KEYS} for a in open_actions]
    ctx.data.setdefault("more", {})["actions"] = hidden
    ctx.data["more"]["decisions"] = hidden_decisions
    if overdue:
        counts.append(t.count(overdue, "overdue_action"))
    blocks: list[Block] = [
        Subheading(t("decisions_h").format(d=ctx.long(ctx.since))),
        Table(_decision_columns(ctx), rows, t("no_decisions")),
        *more(ctx, hidden_decisions, "decision"),
        Subheading(t("actions_h")),
    ]
    if open_actions:
        blocks.append(Paragraph("; ".join(counts) + "."))
    blocks.append(Table(_action_columns(ctx), open_actions, t("no_actions")))
    blocks += more(ctx, hidden, "open_action")
    return Section("governance", t("governance_h"), blocks)


DECISION_KEYS = ("code", "date", "body", "body_name", "meeting", "text", "projects")
ACTION_KEYS = (
    "code",
    "title",
    "owner",
    "opened",
    "due_date",
    "overdue",
    "days_over",
    "decision",
    "project",
    "portfolio",
)


def _decision_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("date", t("date"), "date"),
        Column("body_name", t("body")),
        Column("code", t("code")),
        Column("text", t("decision")),
        Column("projects_text", t("projects")),
    ]


def _action_columns(ctx: Context) -> list[Column]:
    t = ctx.t
    return [
        Column("code", t("code")),
        Column("title", t("action")),
        Column("owner", t("action_owner")),
        Column("due_date", t("deadline"), "date"),
        Column("days_over", t("days_over"), "number"),
        Column("origin", t("origin")),
    ]
