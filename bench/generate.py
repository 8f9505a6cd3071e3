"""Generate a realistic portfolio database of a given scale, deterministically for a seed and a
generation date.

    python bench/generate.py --scale L --db /tmp/L.db [--seed 1] [--anchor DATE] [--csv FILE]
        [--without-savings]

S: 50 projects; M: 500; L: 5,000 projects, 20,000 solutions, 50,000 milestones, 10,000
deliverables, 200,000 savings lines and 5,000 investments, spread over several portfolios,
departments and committees, with status and health history, and the governance records in
proportion (risks with re-assessments, meetings with decisions and actions, indicators with
measurements, proposals with scores, dependencies). Everything is written through the store's
bulk path (Writer.insert_many), so the journal holds the records as after an import (in batch
rows of up to 1,000 records, store/batches.py):
every event and version row is registered now (recorded_at), and the savings and investments
take effect on the generation date, as an import of them that day makes them, so a report as of
the generation date finds them all inside its "changes since" window. The dates of the portfolio are
laid out around --anchor (default today): five years of history before it, milestones and
committee meetings after it, so a report as of the generation date has every section filled.
The code counters are set as an import sets them. --csv also writes the savings lines as a
Danish-Excel CSV for the import benchmark.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SCALES: dict[str, dict[str, int]] = {
    "S": dict(
        portfolios=2,
        departments=6,
        committees=4,
        projects=50,
        solutions=200,
        milestones=500,
        deliverables=100,
        savings=2_000,
        investments=50,
        risks=50,
        meetings=12,
        decisions=40,
        actions=60,
        indicators=50,
        dependencies=10,
    ),
    "M": dict(
        portfolios=4,
        departments=8,
        committees=6,
        projects=500,
        solutions=2_000,
        milestones=5_000,
        deliverables=1_000,
        savings=20_000,
        investments=500,
        risks=500,
        meetings=120,
        decisions=400,
        actions=600,
        indicators=500,
        dependencies=100,
    ),
    "L": dict(
        portfolios=10,
        departments=12,
        committees=8,
        projects=5_000,
        solutions=20_000,
        milestones=50_000,
        deliverables=10_000,
        savings=200_000,
        investments=5_000,
        risks=5_000,
        meetings=1_200,
        decisions=4_000,
        actions=6_000,
        indicators=5_000,
        dependencies=1_000,
    ),
}
DEPARTMENTS = [
    "Social & Familie",
    "Borger & Arbejdsmarked",
    "Sundhed, Pleje & Omsorg",
    "Børn og Unge",
    "Beskæftigelse",
    "Ældre og Handicap",
    "Kultur og Fritid",
    "Teknik og Miljø",
    "Økonomi og Stab",
    "Skole",
    "Dagtilbud",
    "Psykiatri",
]
COMMITTEES = [
    "Økonomiudvalget",
    "Børn- og Ungeudvalget",
    "Social- og Beskæftigelsesudvalget",
    "Sundheds- og Ældreudvalget",
    "Kommunalbestyrelsen",
    "Kultur- og Fritidsudvalget",
    "Teknik- og Miljøudvalget",
    "Skoleudvalget",
]
SEGMENTS = [
    "Udsatte familier",
    "Borgere med sindslidelse og en beskæftigelsessag",
    "Borgere med erhvervet hjerneskade",
    "Genoptræning på kontanthjælp",
    "Unge med handicap i overgang",
    "Unge med sociale problemer i overgang",
    "Borgere på forsorgshjem",
    "Borgere i misbrugsbehandling",
]
PHASES = ["forberedelse", "indsigt", "udvikling", "prøvehandling", "implementering"]
KINDS = [
    "procedure",
    "organisation",
    "cooperation-agreement",
    "information",
    "legal-agreement",
    "it",
]


# the event and version tables: each row says when it was registered
RECORDED = {
    "project_event",
    "solution_event",
    "milestone_move",
    "milestone_event",
    "deliverable_postponement",
    "deliverable_event",
    "target_version",
    "saving_version",
    "investment_version",
    "indicator_measurement",
    "risk_assessment",
    "risk_event",
    "action_event",
    "project_score",
    "project_dependency",
}
# the date the original layout was drawn around; --anchor moves every date by the difference
BASE = date(2021, 6, 1)


def pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


class Calendar:
    """The layout's dates moved to the anchor: `day` and `iso` by the days between BASE and the
    anchor, `year` by the years."""

    def __init__(self, anchor: date):
        self.offset = anchor - BASE
        self.years = anchor.year - BASE.year

    def day(self, rng: random.Random, start: date, span_days: int) -> str:
        return (start + self.offset + timedelta(days=rng.randrange(span_days))).isoformat()

    def after(self, rng: random.Random, iso: str, days: int, span_days: int) -> str:
        """A day from `days` after an already laid-out date (not moved again)."""
        return (
            date.fromisoformat(iso) + timedelta(days=days + rng.randrange(span_days))
        ).isoformat()

    def iso(self, text: str) -> str:
        return (date.fromisoformat(text) + self.offset).isoformat()

    def year(self, year: int) -> int:
        return year + self.years


def generate(
    db: Path, scale: str, seed: int, *, with_savings: bool = True, anchor: date = BASE
) -> dict[str, list[dict[str, Any]]]:
    """Write the database and return its rows by table. `anchor` is the generation date the
    layout is drawn around (the default keeps the dates of earlier rounds)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from portefolje.store.connection import open_db
    from portefolje.store.registry import KINDS as CODED
    from portefolje.store.write import Writer

    n = SCALES[scale]
    rng = random.Random(seed)
    cal = Calendar(anchor)
    day, after = cal.day, cal.after
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["department"] = [
        {"code": f"D{i}", "name": DEPARTMENTS[i - 1]} for i in range(1, n["departments"] + 1)
    ]
    rows["committee"] = [
        {"code": f"C{i}", "name": COMMITTEES[i - 1]} for i in range(1, n["committees"] + 1)
    ]
    rows["portfolio"] = [
        {
            "code": f"PF{i}",
            "name": f"Udviklingsprogram {i}",
            "owner": "Direktørforum",
            "description": None,
        }
        for i in range(1, n["portfolios"] + 1)
    ]
    n_segments = max(n["projects"] // 3, n["portfolios"])
    rows["segment"] = [
        {
            "code": f"S{i}",
            "portfolio_id": (i - 1) % n["portfolios"] + 1,
            "name": f"{SEGMENTS[i % len(SEGMENTS)]} {i}",
            "category": pick(rng, {"familie": 3, "flere-indsatser": 4, "overgang": 2}),
            "population": rng.randrange(20, 900),
        }
        for i in range(1, n_segments + 1)
    ]
    projects, events, links = [], [], []
    for i in range(1, n["projects"] + 1):
        start = day(rng, date(2016, 1, 1), 1500)
        status = pick(rng, {"active": 66, "paused": 15, "closed": 15, "proposed": 4})
        changed = after(rng, start, 60, 600)
        projects.append(
            {
                "code": f"P{i}",
                "segment_id": rng.randrange(1, n_segments + 1),
                "title": f"Projekt {i}: helhedsorienteret indsats",
                "owner": "Direktør",
                "leader": f"Projektleder {i % 40}",
                "start_date": start,
                "purpose": "Sammenhængende forløb for borgeren",
            }
        )
        events.append(
            {
                "project_id": i,
                "date": start,
                "kind": "status",
                "dimension": None,
                "old_value": None,
                "new_value": "proposed" if status == "proposed" else "active",
                "note": "created",
            }
        )
        if status in ("paused", "closed"):
            events.append(
                {
                    "project_id": i,
                    "date": changed,
                    "kind": "status",
                    "dimension": None,
                    "old_value": "active",
                    "new_value": status,
                    "note": "Afventer anden udviklingsindsats"
                    if status == "paused"
                    else "Afsluttet",
                }
            )
        events.append(
            {
                "project_id": i,
                "date": start,
                "kind": "phase",
                "dimension": None,
                "old_value": None,
                "new_value": rng.choice(PHASES),
                "note": None,
            }
        )
        for _ in range(rng.randrange(1, 3)):
            events.append(
                {
                    "project_id": i,
                    "date": after(rng, start, 0, 700),
                    "kind": "health",
                    "dimension": rng.choice(["overall", "schedule", "economic-benefits"]),
                    "old_value": None,
                    "new_value": pick(rng, {"green": 6, "yellow": 3, "red": 1}),
                    "note": "Vurderet på styregruppemødet",
                }
            )
        for d in rng.sample(range(1, n["departments"] + 1), rng.randrange(1, 4)):
            links.append({"project_id": i, "department_id": d})
    rows["project"], rows["project_event"], rows["project_department"] = projects, events, links
    statuses = {
        "idea": 2,
        "developing": 3,
        "trial": 3,
        "implemented": 2,
        "handed-over": 1,
        "dropped": 1,
    }
    rows["solution"], rows["solution_event"] = [], []
    for i in range(1, n["solutions"] + 1):
        status = pick(rng, statuses)
        rows["solution"].append(
            {
                "code": f"L{i}",
                "project_id": rng.randrange(1, n["projects"] + 1),
                "title": f"Løsning {i}",
                "kind": rng.choice(KINDS),
                "handed_over_to": rng.randrange(1, n["departments"] + 1)
                if status == "handed-over"
                else None,
            }
        )
        rows["solution_event"].append(
            {
                "solution_id": i,
                "date": day(rng, date(2016, 6, 1), 300),
                "old_status": None,
                "new_status": status,
                "note": "created",
            }
        )
    rows["milestone"], rows["milestone_move"], rows["milestone_event"] = [], [], []
    for i in range(1, n["milestones"] + 1):
        due = day(rng, date(2017, 1, 1), 2200)
        done = after(rng, due, -30, 60) if rng.random() < 0.55 else None
        rows["milestone"].append(
            {
                "code": f"M{i}",
                "project_id": rng.randrange(1, n["projects"] + 1),
                "title": f"Milepæl {i}",
                "due_date": due,
            }
        )
        if done:
            rows["milestone_event"].append(
                {"milestone_id": i, "date": done, "kind": "done", "reason": None}
            )
        if rng.random() < 0.1:
            rows["milestone_move"].append(
                {
                    "milestone_id": i,
                    "moved_on": due,
                    "old_due": (date.fromisoformat(due) - timedelta(days=45)).isoformat(),
                    "new_due": due,
                    "reason": "Forsinket data",
                }
            )
    rows["deliverable"], rows["deliverable_project"], rows["deliverable_prior"] = [], [], []
    rows["deliverable_event"], rows["deliverable_postponement"] = [], []
    for i in range(1, n["deliverables"] + 1):
        meeting = day(rng, date(2018, 1, 1), 1800)
        state = pick(rng, {"planned": 6, "delivered": 3, "postponed": 1})
        rows["deliverable"].append(
            {
                "code": f"LV{i}",
                "title": f"Sag {i} til udvalget",
                "committee_id": rng.randrange(1, n["committees"] + 1),
                "meeting_date": meeting,
                "kind": rng.choice(["orientering", "drøftelse", "beslutning"]),
            }
        )
        if state == "delivered":
            rows["deliverable_event"].append(
                {"deliverable_id": i, "date": meeting, "kind": "delivered", "reason": None}
            )
        elif state == "postponed":
            earlier = (date.fromisoformat(meeting) - timedelta(days=42)).isoformat()
            rows["deliverable_postponement"].append(
                {
                    "deliverable_id": i,
                    "postponed_on": (date.fromisoformat(earlier) - timedelta(days=7)).isoformat(),
                    "old_date": earlier,
                    "new_date": meeting,
                    "reason": "Sagen er ikke klar",
                    "kind": "postponed",
                }
            )
        rows["deliverable_project"].append(
            {"deliverable_id": i, "project_id": rng.randrange(1, n["projects"] + 1)}
        )
        if rng.random() < 0.3:
            rows["deliverable_prior"].append(
                {
                    "deliverable_id": i,
                    "committee_id": 2,
                    "kind": "drøftelse",
                    "meeting_date": (date.fromisoformat(meeting) - timedelta(days=8)).isoformat(),
                }
            )
    rows["target"], rows["target_version"], rows["target_share"] = [], [], []
    for p in range(1, n["portfolios"] + 1):
        for t, (year, from_year, amount) in enumerate(
            [(cal.year(2019), None, 20_000_000), (None, cal.year(2020), 40_000_000)]
        ):
            rows["target"].append(
                {"code": f"T{p}-{t}", "portfolio_id": p, "year": year, "from_year": from_year}
            )
            rows["target_version"].append(
                {
                    "target_id": len(rows["target"]),
                    "valid_from": cal.iso("2018-01-01"),
                    "amount": amount,
                }
            )
            for d in range(1, 4):
                rows["target_share"].append(
                    {
                        "target_version_id": len(rows["target_version"]),
                        "department_id": d,
                        "numerator": 1,
                        "denominator": 3,
                    }
                )
    savings = savings_rows(rng, n, cal) if with_savings else []
    rows["saving"] = [{"code": s["code"]} for s in savings]
    rows["saving_version"] = [
        {
            "saving_id": i,
            "valid_from": anchor.isoformat(),  # registered today, as by an import
            **{k: v for k, v in s.items() if k != "code"},
        }
        for i, s in enumerate(savings, start=1)
    ]
    investments = [
        {
            "code": f"INV{i}",
            "project_id": rng.randrange(1, n["projects"] + 1),
            "department_id": rng.randrange(1, n["departments"] + 1),
            "area": "service",
            "year": cal.year(rng.randrange(2017, 2023)),
            "amount": rng.randrange(100, 3000) * 1000,
            "funding": rng.choice(["Innovationspulje", "Éngangsmidler", "Investeringspulje"]),
        }
        for i in range(1, n["investments"] + 1)
    ]
    rows["investment"] = [{"code": v["code"]} for v in investments]
    rows["investment_version"] = [
        {
            "investment_id": i,
            "valid_from": anchor.isoformat(),
            **{k: x for k, x in v.items() if k != "code"},
        }
        for i, v in enumerate(investments, start=1)
    ]
    rows.update(governance(rng, n, cal, projects=rows["project"], events=rows["project_event"]))
    if db.exists():
        db.unlink()
    conn = open_db(db, create=True)
    with Writer(
        conn,
        actor="bench",
        command=f"bench/generate.py --scale {scale} --seed {seed} --anchor {anchor}",
    ) as w:
        for table, items in rows.items():
            if table in RECORDED:  # registered by this run, like an import
                items = [{**item, "recorded_at": w.at} for item in items]
            if items:
                w.insert_many(
                    table, items, key="project_id" if table == "project_department" else "id"
                )
        for k in CODED.values():  # past every generated code, as an import moves them
            pattern = re.compile(re.escape(k.prefix) + "([0-9]+)")
            taken = [
                int(m[1]) for r in rows.get(k.table, []) if (m := pattern.fullmatch(r["code"]))
            ]
            if taken:
                w.conn.execute(
                    "INSERT INTO code_counter (kind, next) VALUES (?, ?)", (k.name, max(taken) + 1)
                )
    conn.close()
    return rows


def governance(
    rng: random.Random,
    n: dict[str, int],
    cal: Calendar,
    *,
    projects: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    """Indicators with measurements, risks with re-assessments, meetings of the committees with
    decisions and the actions they asked for, scoring criteria and the proposals' scores, and
    dependencies between projects."""
    day, after = cal.day, cal.after
    n_projects = len(projects)
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["indicator"] = [
        {
            "code": f"I{i}",
            "project_id": rng.randrange(1, n_projects + 1),
            "name": f"Borgere i job eller uddannelse {i}",
            "unit": "borgere",
            "baseline": float(rng.randrange(0, 50)),
            "baseline_date": day(rng, date(2017, 1, 1), 400),
            "target": float(rng.randrange(50, 200)),
            "target_date": day(rng, date(2021, 1, 1), 900),
        }
        for i in range(1, n["indicators"] + 1)
    ]
    rows["indicator_measurement"] = [
        {"indicator_id": i, "date": day(rng, date(2018, 1, 1), 1200), "value": float(v)}
        for i in range(1, n["indicators"] + 1)
        for v in (rng.randrange(0, 120), rng.randrange(20, 160))
    ]
    rows["risk"], rows["risk_assessment"], rows["risk_event"] = [], [], []
    for i in range(1, n["risks"] + 1):
        on_portfolio = rng.random() < 0.05
        project = None if on_portfolio else rng.randrange(1, n_projects + 1)
        rows["risk"].append(
            {
                "code": f"RS{i}",
                "project_id": project,
                "portfolio_id": rng.randrange(1, n["portfolios"] + 1) if on_portfolio else None,
                "title": f"Effekterne kan ikke isoleres fra driften ({i})",
                "owner": "programsekretariatet",
                "response": "Sammenligningsgruppe aftales",
            }
        )
        # identified once the project is registered; re-assessed later
        identified = (
            day(rng, date(2017, 6, 1), 1400)
            if project is None
            else after(rng, projects[project - 1]["start_date"], 0, 900)
        )
        for d in sorted({identified, after(rng, identified, 30, 500)}):
            rows["risk_assessment"].append(
                {
                    "risk_id": i,
                    "date": d,
                    "probability": rng.randrange(1, 6),
                    "consequence": rng.randrange(1, 6),
                    "note": None,
                }
            )
        if rng.random() < 0.25:
            rows["risk_event"].append(
                {
                    "risk_id": i,
                    "date": after(rng, identified, 600, 300),
                    "kind": "closed",
                    "reason": "Risikoen er håndteret",
                }
            )
    rows["meeting"] = [
        {
            "code": f"MØ{i}",
            "committee_id": rng.randrange(1, n["committees"] + 1),
            "portfolio_id": rng.randrange(1, n["portfolios"] + 1) if rng.random() < 0.5 else None,
            "date": day(rng, date(2018, 1, 1), 1400),
            "title": None,
        }
        for i in range(1, n["meetings"] + 1)
    ]
    rows["decision"] = [
        {
            "code": f"BS{i}",
            "meeting_id": rng.randrange(1, n["meetings"] + 1),
            "text": f"Direktørforum godkender indstilling {i}",
        }
        for i in range(1, n["decisions"] + 1)
    ]
    rows["decision_project"] = [
        {"decision_id": i, "project_id": rng.randrange(1, n_projects + 1)}
        for i in range(1, n["decisions"] + 1)
    ]
    rows["action"], rows["action_event"] = [], []
    for i in range(1, n["actions"] + 1):
        decision = rng.randrange(1, n["decisions"] + 1)
        opened = rows["meeting"][rows["decision"][decision - 1]["meeting_id"] - 1]["date"]
        due = (date.fromisoformat(opened) + timedelta(days=rng.randrange(14, 240))).isoformat()
        rows["action"].append(
            {
                "code": f"HA{i}",
                "title": f"Handling {i}: beskriv datagrundlaget",
                "owner": "programsekretariatet",
                "opened": opened,
                "due_date": due,
                "decision_id": decision,
                "project_id": rng.randrange(1, n_projects + 1) if rng.random() < 0.7 else None,
                "portfolio_id": None,
            }
        )
        if rng.random() < 0.6:
            rows["action_event"].append(
                {"action_id": i, "date": due, "kind": "done", "reason": None}
            )
    rows["criterion"] = [
        {
            "code": f"KR{(p - 1) * 3 + k}",
            "portfolio_id": p,
            "name": name,
            "weight": weight,
            "description": None,
        }
        for p in range(1, n["portfolios"] + 1)
        for k, (name, weight) in enumerate(
            [("Økonomisk potentiale", 3), ("Borgerens oplevede kvalitet", 2), ("Modenhed", 1)],
            start=1,
        )
    ]
    proposed = [e for e in events if e["kind"] == "status" and e["new_value"] == "proposed"]
    rows["project_score"] = []
    for e in proposed:  # on the criteria of the proposal's own portfolio (its segment's)
        portfolio = (projects[e["project_id"] - 1]["segment_id"] - 1) % n["portfolios"] + 1
        for k in range(1, 4):
            rows["project_score"].append(
                {
                    "project_id": e["project_id"],
                    "criterion_id": (portfolio - 1) * 3 + k,
                    "date": e["date"],
                    "score": rng.randrange(1, 6),
                    "note": None,
                }
            )
    rows["project_dependency"] = []
    seen: set[tuple[int, int]] = set()  # one open dependency on the same thing
    for _ in range(n["dependencies"]):
        a, b = rng.sample(range(1, n_projects + 1), 2)
        outside = rng.random() < 0.3
        if (a, 0 if outside else b) in seen:
            continue
        seen.add((a, 0 if outside else b))
        since = after(rng, projects[a - 1]["start_date"], 0, 900)
        rows["project_dependency"].append(
            {
                "project_id": a,
                "on_project_id": None if outside else b,
                "external": "Den nye familiestrategi" if outside else None,
                "note": None,
                "valid_from": since,
                "valid_to": None,
            }
        )
    return rows


def savings_rows(
    rng: random.Random, n: dict[str, int], cal: Calendar | None = None
) -> list[dict[str, Any]]:
    """The savings lines, their years moved to `cal`'s anchor (default: the layout of BASE)."""
    cal = cal or Calendar(BASE)
    out = []
    for i in range(1, n["savings"] + 1):
        recurring = rng.random() < 0.3
        year = cal.year(rng.randrange(2017, 2026))
        out.append(
            {
                "code": f"SV{i}",
                "project_id": rng.randrange(1, n["projects"] + 1),
                "department_id": rng.randrange(1, n["departments"] + 1),
                "area": pick(rng, {"service": 7, "overforsler": 2, "indsats": 1}),
                "year": None if recurring else year,
                "from_year": year if recurring else None,
                "amount": (amount := rng.randrange(10, 2000) * 1000),
                "stage": (stage := pick(rng, {"estimated": 6, "documented": 3, "budgeted": 1})),
                "realised": None if stage == "estimated" else amount,
                "note": "Skøn fra business case" if rng.random() < 0.5 else None,
            }
        )
    return out


def write_csv(path: Path, savings: list[dict[str, Any]]) -> None:
    """The savings lines as Danish Excel saves them: semicolons, Windows-1252, Danish headers."""
    with path.open("w", encoding="cp1252", newline="") as handle:
        out = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        out.writerow(
            [
                "Kode",
                "Projekt",
                "Afdeling",
                "Styringsområde",
                "År",
                "Fra år",
                "Beløb",
                "Stade",
                "Note",
            ]
        )
        area = {
            "service": "Service",
            "overforsler": "Overførsler",
            "indsats": "Efterspørgselsstyret indsats",
        }
        stage = {"estimated": "Estimeret", "documented": "Dokumenteret", "budgeted": "Budgetlagt"}
        for s in savings:
            amount = f"{s['amount']:,}".replace(",", ".")
            out.writerow(
                [
                    s["code"],
                    f"P{s['project_id']}",
                    f"D{s['department_id']}",
                    area[s["area"]],
                    s["year"] or "",
                    s["from_year"] or "",
                    amount,
                    stage[s["stage"]],
                    s["note"] or "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--anchor",
        type=date.fromisoformat,
        default=date.today(),
        help="the generation date the dates are laid out around (default today)",
    )
    parser.add_argument("--csv", type=Path, help="also write the savings lines as a CSV file")
    parser.add_argument(
        "--without-savings",
        action="store_true",
        help="leave the savings out of the database (to import them from --csv)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    rows = generate(
        args.db, args.scale, args.seed, with_savings=not args.without_savings, anchor=args.anchor
    )
    if args.csv:
        write_csv(
            args.csv,
            [{"code": rows["saving"][i]["code"], **v} for i, v in enumerate(rows["saving_version"])]
            or savings_rows(
                random.Random(args.seed + 1), SCALES[args.scale], Calendar(args.anchor)
            ),
        )
    counts = ", ".join(f"{len(v)} {k}" for k, v in rows.items() if v)
    print(f"{args.db}: {counts} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
