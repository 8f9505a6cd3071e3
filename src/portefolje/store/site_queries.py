"""The SQL of the reader site (`portefolje serve`): Datasette's canned queries, written against
schema 6, and the reads the site's metadata needs.

The queries read the state on a day the way the store does (a project's status is its latest
status event on or before the day; a milestone's due date the one in force then, its state its
latest event; a figure the version in force): the same rules as `milestones.DUE_ON`,
`deliverables.MEETING_ON` and `versions.in_force`. The day is `:dato`, or today (the plugin's
magic parameter `:_portefolje_idag`, Europe/Copenhagen) when the field is left empty. Column
names are the Danish labels a reader sees.
"""

from __future__ import annotations

import sqlite3

DAY = "WITH dag AS (SELECT coalesce(nullif(:dato, ''), :_portefolje_idag) AS d)"

OVERDUE_MILESTONES = f"""{DAY},
m AS (
  SELECT m.id, m.code, m.title, m.project_id, m.portfolio_id, dag.d,
    coalesce((SELECT mm.old_due FROM milestone_move mm WHERE mm.milestone_id = m.id
              AND mm.moved_on > dag.d ORDER BY mm.moved_on, mm.id LIMIT 1), m.due_date) AS due,
    (SELECT e.kind FROM milestone_event e WHERE e.milestone_id = m.id AND e.date <= dag.d
     ORDER BY e.date DESC, e.id DESC LIMIT 1) AS state
  FROM milestone m, dag
)
SELECT coalesce(pf.code, ppf.code) AS "Portefølje", p.code AS "Projekt", p.title AS "Projekttitel",
  m.code AS "Milepæl", m.title AS "Titel", m.due AS "Forfaldsdato",
  CAST(julianday(m.d) - julianday(m.due) AS INTEGER) AS "Dage over"
FROM m
  LEFT JOIN project p ON p.id = m.project_id
  LEFT JOIN segment s ON s.id = p.segment_id
  LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id
  LEFT JOIN portfolio pf ON pf.id = m.portfolio_id
WHERE m.due < m.d AND (m.state IS NULL OR m.state NOT IN ('done', 'cancelled'))
  AND (nullif(:portefolje, '') IS NULL OR coalesce(pf.code, ppf.code) = :portefolje COLLATE NOCASE)
ORDER BY m.due, m.id"""

# gap = target share - (documented + budgeted, attributable part) - coverage, per department and
# year of the budget period; a single-year target overrides a recurring one, and of recurring
# ones the latest start counts (figures.targets); amounts as registered, no price conversion
IN_FORCE = (
    "(v.valid_from IS NULL OR v.valid_from <= dag.d) AND (v.valid_to IS NULL OR v.valid_to > dag.d)"
)
GAP_BY_DEPARTMENT = f"""WITH RECURSIVE
dag AS (
  SELECT d, coalesce(CAST(nullif(:fra_aar, '') AS INTEGER), CAST(strftime('%Y', d) AS INTEGER))
    AS fra
  FROM (SELECT coalesce(nullif(:dato, ''), :_portefolje_idag) AS d)
),
pf AS (SELECT id FROM portfolio WHERE nullif(:portefolje, '') IS NULL
       OR code = :portefolje COLLATE NOCASE),
aar(y) AS (SELECT fra FROM dag UNION ALL SELECT y + 1 FROM aar, dag WHERE y < dag.fra + 3),
tv AS (
  SELECT t.portfolio_id, t.year, t.from_year, v.id AS vid, v.amount
  FROM target t JOIN target_version v ON v.target_id = t.id, dag
  WHERE t.portfolio_id IN (SELECT id FROM pf)
    AND {IN_FORCE}
),
chosen AS (
  SELECT aar.y, tv.vid, tv.amount FROM aar JOIN tv ON tv.year = aar.y
  UNION ALL
  SELECT aar.y, tv.vid, tv.amount FROM aar JOIN tv ON tv.from_year = (
      SELECT max(x.from_year) FROM tv x
      WHERE x.portfolio_id = tv.portfolio_id AND x.from_year <= aar.y)
  WHERE NOT EXISTS (SELECT 1 FROM tv x WHERE x.portfolio_id = tv.portfolio_id AND x.year = aar.y)
),
maal AS (
  SELECT c.y, s.department_id AS dept,
    sum(CASE WHEN s.id IS NULL THEN c.amount ELSE c.amount * s.numerator / s.denominator END) AS kr
  FROM chosen c LEFT JOIN target_share s ON s.target_version_id = c.vid
  GROUP BY c.y, s.department_id
),
sv AS (
  SELECT aar.y, v.department_id AS dept,
    sum(CASE WHEN v.stage = 'documented'
             THEN coalesce(v.realised, v.amount) * v.attribution / 100 ELSE 0 END) AS dok,
    sum(CASE WHEN v.stage = 'budgeted'
             THEN coalesce(v.realised, v.amount) * v.attribution / 100 ELSE 0 END) AS bud,
    sum(CASE WHEN v.stage = 'estimated' THEN v.amount ELSE 0 END) AS est
  FROM aar JOIN saving_version v ON (v.year = aar.y OR v.from_year <= aar.y)
    JOIN project p ON p.id = v.project_id JOIN segment s ON s.id = p.segment_id, dag
  WHERE s.portfolio_id IN (SELECT id FROM pf)
    AND {IN_FORCE}
  GROUP BY aar.y, v.department_id
),
cv AS (
  SELECT aar.y, v.department_id AS dept, sum(v.amount) AS kr
  FROM aar JOIN coverage_version v ON (v.year = aar.y OR v.from_year <= aar.y)
    JOIN coverage c ON c.id = v.coverage_id, dag
  WHERE c.portfolio_id IN (SELECT id FROM pf)
    AND {IN_FORCE}
  GROUP BY aar.y, v.department_id
),
k AS (SELECT y, dept FROM maal UNION SELECT y, dept FROM sv UNION SELECT y, dept FROM cv)
SELECT k.y AS "År", coalesce(dep.name, '(uden afdeling)') AS "Afdeling",
  coalesce(maal.kr, 0) AS "Sparemål", coalesce(sv.dok, 0) AS "Dokumenteret",
  coalesce(sv.bud, 0) AS "Budgetlagt", coalesce(cv.kr, 0) AS "Anden dækning",
  coalesce(maal.kr, 0) - coalesce(sv.dok, 0) - coalesce(sv.bud, 0) - coalesce(cv.kr, 0)
    AS "Mangler",
  coalesce(sv.est, 0) AS "Estimeret",
  coalesce(maal.kr, 0) - coalesce(sv.dok, 0) - coalesce(sv.bud, 0) - coalesce(cv.kr, 0)
    - coalesce(sv.est, 0) AS "Mangler efter estimeret"
FROM k
  LEFT JOIN maal ON maal.y = k.y AND maal.dept IS k.dept
  LEFT JOIN sv ON sv.y = k.y AND sv.dept IS k.dept
  LEFT JOIN cv ON cv.y = k.y AND cv.dept IS k.dept
  LEFT JOIN department dep ON dep.id = k.dept
ORDER BY k.y, dep.name IS NULL, dep.name"""

CALENDAR = f"""{DAY},
dl AS (
  SELECT d.id, d.code, d.title, d.committee_id, d.kind, dag.d AS day,
    coalesce((SELECT pp.old_date FROM deliverable_postponement pp WHERE pp.deliverable_id = d.id
              AND pp.postponed_on > dag.d ORDER BY pp.postponed_on, pp.id LIMIT 1),
             d.meeting_date) AS meeting,
    coalesce((SELECT pp.old_date FROM deliverable_postponement pp WHERE pp.deliverable_id = d.id
              ORDER BY pp.postponed_on, pp.id LIMIT 1), d.meeting_date) AS first_meeting,
    (SELECT e.kind FROM deliverable_event e WHERE e.deliverable_id = d.id AND e.date <= dag.d
     ORDER BY e.date DESC, e.id DESC LIMIT 1) AS state
  FROM deliverable d, dag
)
SELECT dl.meeting AS "Mødedato", c.name AS "Udvalg", dl.code AS "Sag", dl.title AS "Titel",
  dl.kind AS "Type",
  CASE WHEN dl.state = 'delivered' THEN 'leveret' WHEN dl.state = 'cancelled' THEN 'aflyst'
       WHEN dl.meeting > dl.first_meeting THEN 'udsat' ELSE 'planlagt' END AS "Status",
  (SELECT group_concat(pc.name || ' ' || pr.meeting_date || coalesce(' (' || pr.kind || ')', ''),
                       '; ')
   FROM deliverable_prior pr JOIN committee pc ON pc.id = pr.committee_id
   WHERE pr.deliverable_id = dl.id) AS "Forbehandling",
  (SELECT group_concat(p.code, ', ') FROM deliverable_project dp JOIN project p
   ON p.id = dp.project_id WHERE dp.deliverable_id = dl.id) AS "Projekter"
FROM dl JOIN committee c ON c.id = dl.committee_id
WHERE dl.meeting >= dl.day AND dl.meeting <= coalesce(nullif(:til, ''), date(dl.day, '+56 days'))
ORDER BY dl.meeting, c.name, dl.id"""

STATUS_ON = """st AS (
  SELECT e.project_id, e.new_value, e.date, e.note,
    row_number() OVER (PARTITION BY e.project_id ORDER BY e.date DESC, e.id DESC) AS n
  FROM project_event e, dag WHERE e.kind = 'status' AND e.date <= dag.d
)"""

PAUSED = f"""{DAY},
{STATUS_ON}
SELECT pf.code AS "Portefølje", p.code AS "Projekt", p.title AS "Titel", s.name AS "Segment",
  st.date AS "På pause siden", st.note AS "Begrundelse",
  CAST(julianday(dag.d) - julianday(st.date) AS INTEGER) AS "Dage på pause"
FROM st JOIN project p ON p.id = st.project_id JOIN segment s ON s.id = p.segment_id
  JOIN portfolio pf ON pf.id = s.portfolio_id, dag
WHERE st.n = 1 AND st.new_value = 'paused'
ORDER BY st.date, p.id"""

PROJECTS = f"""{DAY},
{STATUS_ON},
ev AS (
  SELECT e.project_id, e.kind, e.new_value, e.date, e.note,
    row_number() OVER (PARTITION BY e.project_id, e.kind ORDER BY e.date DESC, e.id DESC) AS n
  FROM project_event e, dag
  WHERE e.date <= dag.d AND (e.kind = 'phase' OR e.kind = 'health' AND e.dimension = 'overall')
)
SELECT pf.code AS "Portefølje", p.code AS "Projekt", p.title AS "Titel",
  CASE st.new_value WHEN 'active' THEN 'aktiv' WHEN 'paused' THEN 'sat på pause'
    WHEN 'closed' THEN 'afsluttet' WHEN 'proposed' THEN 'foreslået' ELSE 'afvist' END AS "Status",
  ph.new_value AS "Fase",
  CASE h.new_value WHEN 'green' THEN 'grøn' WHEN 'yellow' THEN 'gul' WHEN 'red' THEN 'rød'
    END AS "Sundhed",
  h.note AS "Kommentar", h.date AS "Vurderet"
FROM st JOIN project p ON p.id = st.project_id JOIN segment s ON s.id = p.segment_id
  JOIN portfolio pf ON pf.id = s.portfolio_id
  LEFT JOIN ev ph ON ph.project_id = p.id AND ph.kind = 'phase' AND ph.n = 1
  LEFT JOIN ev h ON h.project_id = p.id AND h.kind = 'health' AND h.n = 1
WHERE st.n = 1 AND (nullif(:portefolje, '') IS NULL OR pf.code = :portefolje COLLATE NOCASE)
ORDER BY pf.code, p.id"""


def table_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table's columns, for the site's Danish column labels."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "ORDER BY name"
        )
    ]
    return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}
