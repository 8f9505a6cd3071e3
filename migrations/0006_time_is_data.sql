-- 0006 time is data: every fact has an effective date, and the state on any day is read from
-- history, never from a column overwritten by later changes.
--
-- * A project's status, phase and health are events (project_event); the columns that copied the
--   latest status and phase go. Statuses gain 'proposed' and 'rejected' (the pipeline).
-- * A solution's status is its events (solution_event); the copied columns go.
-- * A milestone keeps its current due date (earlier ones are in milestone_move); done, undone,
--   cancelled and reinstated are events (milestone_event). A follow-up milestone is marked.
-- * A deliverable keeps its current meeting date (earlier ones in deliverable_postponement, now
--   also 'advanced' = fremrykning); delivered, undelivered, cancelled, reinstated are events.
-- * Savings, investments, targets and the new coverage (frame cuts, one-off money, budget
--   transfers) are an identity (id, code) and versions with valid_from/valid_to: a change on a
--   date closes the version in force and opens a new one, so a report for an earlier day adds up
--   what was registered then. Legacy rows have valid_from NULL: in force from the beginning.
-- * recorded_at on every event and version row: when it was registered (the journal's time), so
--   the report can summarise one import as one line.
-- * Codes come from a counter per kind and are never reused.
-- * Published reports are stored with every rendered file; previews leave no trace (report_run
--   goes: it remembered previews).
-- Rebuilt tables are copied with their ids, so journal rows keep pointing at the same records.

-- == projects ===================================================================================

CREATE TABLE project_event_v6 (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind        TEXT NOT NULL CHECK (kind IN ('status', 'health', 'phase')),
    dimension   TEXT CHECK (dimension IN ('overall', 'schedule', 'cost', 'economic-benefits', 'other-benefits')),
    old_value   TEXT,
    new_value   TEXT NOT NULL,
    note        TEXT,
    recorded_at TEXT,
    CHECK (kind = 'status' AND dimension IS NULL
             AND new_value IN ('proposed', 'active', 'paused', 'closed', 'rejected')
        OR kind = 'health' AND dimension IS NOT NULL AND new_value IN ('green', 'yellow', 'red')
        OR kind = 'phase' AND dimension IS NULL
             AND new_value IN ('forberedelse', 'indsigt', 'udvikling', 'prøvehandling', 'implementering'))
) STRICT;
INSERT INTO project_event_v6 (id, project_id, date, kind, dimension, old_value, new_value, note)
    SELECT id, project_id, date, kind, dimension, old_value, new_value, note FROM project_event;
-- a project without any status event (hand-written import documents could make one) gets its
-- creation event from the copied columns
INSERT INTO project_event_v6 (project_id, date, kind, old_value, new_value, note)
    SELECT p.id, coalesce(p.status_date, p.start_date, date('now')), 'status', NULL, p.status, 'created'
    FROM project p
    WHERE NOT EXISTS (SELECT 1 FROM project_event e WHERE e.project_id = p.id AND e.kind = 'status');
-- where the copied status disagrees with the latest event, the column was the later word
INSERT INTO project_event_v6 (project_id, date, kind, old_value, new_value, note)
    SELECT p.id, coalesce(p.status_date, last.date), 'status', last.new_value, p.status,
           'registered at the upgrade to schema 6'
    FROM project p
    JOIN (SELECT project_id, new_value, date,
                 row_number() OVER (PARTITION BY project_id ORDER BY date DESC, id DESC) AS n
          FROM project_event WHERE kind = 'status') last ON last.project_id = p.id AND last.n = 1
    WHERE last.new_value <> p.status;
-- the phase becomes an event, dated at the project's creation (its first status event)
INSERT INTO project_event_v6 (project_id, date, kind, old_value, new_value, note)
    SELECT p.id, (SELECT min(e.date) FROM project_event_v6 e
                  WHERE e.project_id = p.id AND e.kind = 'status'),
           'phase', NULL, p.phase, NULL
    FROM project p WHERE p.phase IS NOT NULL;
DROP TABLE project_event;
ALTER TABLE project_event_v6 RENAME TO project_event;
CREATE INDEX project_event_project ON project_event(project_id, kind, date);
CREATE INDEX project_event_date ON project_event(date);

ALTER TABLE project DROP COLUMN status;
ALTER TABLE project DROP COLUMN status_date;
ALTER TABLE project DROP COLUMN phase;

CREATE INDEX project_department_department ON project_department(department_id);

-- == solutions ==================================================================================

CREATE TABLE solution_v6 (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id         INTEGER NOT NULL REFERENCES project(id),
    title              TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind               TEXT CHECK (kind IN ('procedure', 'organisation', 'cooperation-agreement',
                                            'information', 'legal-agreement', 'it', 'other')),
    trial_from         TEXT CHECK (trial_from IS NULL OR date(trial_from, '+0 days') IS trial_from),
    trial_to           TEXT CHECK (trial_to IS NULL OR date(trial_to, '+0 days') IS trial_to),
    trial_population   TEXT,
    handed_over_to     INTEGER REFERENCES department(id),
    description        TEXT,
    expected_effects   TEXT,
    documented_effects TEXT,
    CHECK (trial_to IS NULL OR trial_from IS NULL OR trial_to >= trial_from)
) STRICT;
INSERT INTO solution_v6 (id, code, project_id, title, kind, trial_from, trial_to, trial_population,
                         handed_over_to, description, expected_effects, documented_effects)
    SELECT id, code, project_id, title, kind, trial_from, trial_to, trial_population,
           handed_over_to, description, expected_effects, documented_effects FROM solution;
INSERT INTO solution_event (solution_id, date, old_status, new_status, note)
    SELECT s.id, coalesce(s.status_date, date('now')), NULL, s.status, 'created' FROM solution s
    WHERE NOT EXISTS (SELECT 1 FROM solution_event e WHERE e.solution_id = s.id);
DROP TABLE solution;
ALTER TABLE solution_v6 RENAME TO solution;
CREATE INDEX solution_project ON solution(project_id);
CREATE INDEX solution_handed_over ON solution(handed_over_to);
ALTER TABLE solution_event ADD COLUMN recorded_at TEXT;

-- == milestones =================================================================================

CREATE TABLE milestone_event (
    id           INTEGER PRIMARY KEY,
    milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    date         TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind         TEXT NOT NULL CHECK (kind IN ('done', 'undone', 'cancelled', 'reinstated')),
    reason       TEXT,
    recorded_at  TEXT
) STRICT;
CREATE INDEX milestone_event_milestone ON milestone_event(milestone_id, date);
INSERT INTO milestone_event (milestone_id, date, kind)
    SELECT id, done_date, 'done' FROM milestone WHERE done_date IS NOT NULL;
DROP INDEX milestone_due;
ALTER TABLE milestone DROP COLUMN done_date;
ALTER TABLE milestone ADD COLUMN follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1));
UPDATE milestone SET follow_up = 1 WHERE title LIKE 'Gevinstopfølgning:%';
ALTER TABLE milestone_move ADD COLUMN recorded_at TEXT;

-- == deliverables ===============================================================================

CREATE TABLE deliverable_event (
    id             INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverable(id) ON DELETE CASCADE,
    date           TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind           TEXT NOT NULL CHECK (kind IN ('delivered', 'undelivered', 'cancelled', 'reinstated')),
    reason         TEXT,
    recorded_at    TEXT
) STRICT;
CREATE INDEX deliverable_event_deliverable ON deliverable_event(deliverable_id, date);
INSERT INTO deliverable_event (deliverable_id, date, kind)
    SELECT id, coalesce(delivered_date, meeting_date), 'delivered' FROM deliverable
    WHERE status = 'delivered';
ALTER TABLE deliverable DROP COLUMN status;
ALTER TABLE deliverable DROP COLUMN delivered_date;
CREATE INDEX deliverable_portfolio ON deliverable(portfolio_id);
CREATE INDEX deliverable_prior_committee ON deliverable_prior(committee_id);
ALTER TABLE deliverable_postponement ADD COLUMN kind TEXT NOT NULL DEFAULT 'postponed'
    CHECK (kind IN ('postponed', 'advanced'));
ALTER TABLE deliverable_postponement ADD COLUMN recorded_at TEXT;
UPDATE deliverable_postponement SET kind = 'advanced' WHERE new_date < old_date;

-- == indicators: of a project, or of the portfolio itself (the programme's success criteria) ====

CREATE TABLE indicator_v6 (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id     INTEGER REFERENCES project(id),
    portfolio_id   INTEGER REFERENCES portfolio(id),
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit           TEXT,
    baseline       REAL,
    baseline_date  TEXT CHECK (baseline_date IS NULL OR date(baseline_date, '+0 days') IS baseline_date),
    target         REAL,
    target_date    TEXT CHECK (target_date IS NULL OR date(target_date, '+0 days') IS target_date),
    measured_by    TEXT,
    CHECK ((project_id IS NULL) <> (portfolio_id IS NULL))
) STRICT;
INSERT INTO indicator_v6 (id, code, project_id, name, unit, baseline, baseline_date, target,
                          target_date, measured_by)
    SELECT id, code, project_id, name, unit, baseline, baseline_date, target, target_date,
           measured_by FROM indicator;
DROP TABLE indicator;
ALTER TABLE indicator_v6 RENAME TO indicator;
CREATE INDEX indicator_project ON indicator(project_id);
CREATE INDEX indicator_portfolio ON indicator(portfolio_id);
ALTER TABLE indicator_measurement ADD COLUMN recorded_at TEXT;

-- == savings: identity and versions =============================================================
-- amount is the estimate (the claim); realised is the documented or budgeted figure, so the
-- estimate stays beside what was realised. attribution is the percentage of the realised figure
-- that can be credited to the project (henførbar); fte is staff years (årsværk), one decimal.

CREATE TABLE saving_v6 (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*')
) STRICT;
CREATE TABLE saving_version (
    id            INTEGER PRIMARY KEY,
    saving_id     INTEGER NOT NULL REFERENCES saving(id),
    valid_from    TEXT CHECK (valid_from IS NULL OR date(valid_from, '+0 days') IS valid_from),
    valid_to      TEXT CHECK (valid_to IS NULL OR date(valid_to, '+0 days') IS valid_to),
    recorded_at   TEXT,
    project_id    INTEGER NOT NULL REFERENCES project(id),
    solution_id   INTEGER REFERENCES solution(id),
    department_id INTEGER REFERENCES department(id),
    area          TEXT NOT NULL DEFAULT 'service'
                  CHECK (area IN ('service', 'overforsler', 'indsats', 'anlaeg')),
    year          INTEGER CHECK (year BETWEEN 1990 AND 2100),
    from_year     INTEGER CHECK (from_year BETWEEN 1990 AND 2100),
    amount        INTEGER NOT NULL CHECK (abs(amount) < 1000000000000000),
    realised      INTEGER CHECK (realised IS NULL OR abs(realised) < 1000000000000000),
    stage         TEXT NOT NULL DEFAULT 'estimated'
                  CHECK (stage IN ('estimated', 'documented', 'budgeted')),
    attribution   INTEGER NOT NULL DEFAULT 100 CHECK (attribution BETWEEN 0 AND 100),
    price_level   INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    fte           REAL CHECK (fte IS NULL OR fte >= 0 AND round(fte, 1) = fte),
    name          TEXT,
    note          TEXT,
    CHECK ((year IS NULL) <> (from_year IS NULL)),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
) STRICT;
INSERT INTO saving_v6 (id, code) SELECT id, code FROM saving;
INSERT INTO saving_version (id, saving_id, project_id, solution_id, department_id, area, year,
                            from_year, amount, realised, stage, price_level, note)
    SELECT id, id, project_id, solution_id, department_id, area, year, from_year, amount,
           CASE WHEN stage = 'estimated' THEN NULL ELSE amount END, stage, price_level, note
    FROM saving;
DROP INDEX saving_totals;
DROP INDEX saving_by_project;
DROP TABLE saving;
ALTER TABLE saving_v6 RENAME TO saving;
-- one version in force at a time; the reports' sums read these indexes in GROUP BY order
CREATE UNIQUE INDEX saving_version_current ON saving_version(saving_id) WHERE valid_to IS NULL;
CREATE INDEX saving_version_saving ON saving_version(saving_id, valid_from);
CREATE INDEX saving_version_totals ON saving_version(department_id, area, stage, year, from_year,
    price_level, amount, realised, attribution, valid_from, valid_to, saving_id);
CREATE INDEX saving_version_project ON saving_version(project_id, stage, year, from_year, area,
    price_level, amount, realised, attribution, valid_from, valid_to, saving_id);
CREATE INDEX saving_version_solution ON saving_version(solution_id);
CREATE INDEX saving_version_recorded ON saving_version(recorded_at);

-- == investments: identity and versions; an application is not money until granted ============

CREATE TABLE investment_v6 (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*')
) STRICT;
CREATE TABLE investment_version (
    id            INTEGER PRIMARY KEY,
    investment_id INTEGER NOT NULL REFERENCES investment(id),
    valid_from    TEXT CHECK (valid_from IS NULL OR date(valid_from, '+0 days') IS valid_from),
    valid_to      TEXT CHECK (valid_to IS NULL OR date(valid_to, '+0 days') IS valid_to),
    recorded_at   TEXT,
    project_id    INTEGER NOT NULL REFERENCES project(id),
    department_id INTEGER REFERENCES department(id),
    area          TEXT NOT NULL DEFAULT 'service'
                  CHECK (area IN ('service', 'overforsler', 'indsats', 'anlaeg')),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    amount        INTEGER NOT NULL CHECK (abs(amount) < 1000000000000000),
    status        TEXT NOT NULL DEFAULT 'granted' CHECK (status IN ('applied', 'granted', 'rejected')),
    funding       TEXT,
    price_level   INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    fte           REAL CHECK (fte IS NULL OR fte >= 0 AND round(fte, 1) = fte),
    name          TEXT,
    note          TEXT,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
) STRICT;
INSERT INTO investment_v6 (id, code) SELECT id, code FROM investment;
INSERT INTO investment_version (id, investment_id, project_id, department_id, area, year, amount,
                                funding, price_level, note)
    SELECT id, id, project_id, department_id, area, year, amount, funding, price_level, note
    FROM investment;
DROP INDEX investment_by_project;
DROP TABLE investment;
ALTER TABLE investment_v6 RENAME TO investment;
CREATE UNIQUE INDEX investment_version_current ON investment_version(investment_id)
    WHERE valid_to IS NULL;
CREATE INDEX investment_version_investment ON investment_version(investment_id, valid_from);
CREATE INDEX investment_version_project ON investment_version(project_id, year, status, area,
    price_level, amount, valid_from, valid_to, department_id, fte, investment_id);
CREATE INDEX investment_version_department ON investment_version(department_id);

-- == targets: one per portfolio and year (single-year) and one per portfolio and from-year ======

CREATE TABLE target_v6 (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id),
    year         INTEGER CHECK (year BETWEEN 1990 AND 2100),
    from_year    INTEGER CHECK (from_year BETWEEN 1990 AND 2100),
    CHECK ((year IS NULL) <> (from_year IS NULL))
) STRICT;
CREATE TABLE target_version (
    id          INTEGER PRIMARY KEY,
    target_id   INTEGER NOT NULL REFERENCES target(id),
    valid_from  TEXT CHECK (valid_from IS NULL OR date(valid_from, '+0 days') IS valid_from),
    valid_to    TEXT CHECK (valid_to IS NULL OR date(valid_to, '+0 days') IS valid_to),
    recorded_at TEXT,
    amount      INTEGER NOT NULL CHECK (abs(amount) < 1000000000000000),
    price_level INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    note        TEXT,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
) STRICT;
-- two targets for the same portfolio and year could exist before; the report took the later one
DELETE FROM target_share WHERE target_id IN (
    SELECT t.id FROM target t WHERE EXISTS (
        SELECT 1 FROM target u WHERE u.portfolio_id = t.portfolio_id AND u.id > t.id
          AND u.year IS t.year AND u.from_year IS t.from_year));
DELETE FROM target WHERE EXISTS (
    SELECT 1 FROM target u WHERE u.portfolio_id = target.portfolio_id AND u.id > target.id
      AND u.year IS target.year AND u.from_year IS target.from_year);
INSERT INTO target_v6 (id, code, portfolio_id, year, from_year)
    SELECT id, code, portfolio_id, year, from_year FROM target;
INSERT INTO target_version (id, target_id, amount, price_level, note)
    SELECT id, id, amount, price_level, note FROM target;
CREATE TABLE target_share_v6 (
    id                INTEGER PRIMARY KEY,
    target_version_id INTEGER NOT NULL REFERENCES target_version(id) ON DELETE CASCADE,
    department_id     INTEGER NOT NULL REFERENCES department(id),
    numerator         INTEGER NOT NULL CHECK (numerator > 0),
    denominator       INTEGER NOT NULL CHECK (denominator > 0 AND numerator <= denominator),
    UNIQUE (target_version_id, department_id)
) STRICT;
INSERT INTO target_share_v6 (id, target_version_id, department_id, numerator, denominator)
    SELECT id, target_id, department_id, numerator, denominator FROM target_share;
DROP TABLE target_share;
DROP TABLE target;
ALTER TABLE target_v6 RENAME TO target;
ALTER TABLE target_share_v6 RENAME TO target_share;
CREATE UNIQUE INDEX target_one_per_year ON target(portfolio_id, year) WHERE year IS NOT NULL;
CREATE UNIQUE INDEX target_one_per_from_year ON target(portfolio_id, from_year)
    WHERE from_year IS NOT NULL;
CREATE UNIQUE INDEX target_version_current ON target_version(target_id) WHERE valid_to IS NULL;
CREATE INDEX target_version_target ON target_version(target_id, valid_from);
CREATE INDEX target_share_department ON target_share(department_id);

-- == coverage: what covers the target without being a project's saving ==========================
-- rammebesparelse (frame-cut) placed in a department's budget, engangsmidler (one-off) for one
-- year's gap, budgetomplacering (budget-transfer) between departments.

CREATE TABLE coverage (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id)
) STRICT;
CREATE INDEX coverage_portfolio ON coverage(portfolio_id);
CREATE TABLE coverage_version (
    id            INTEGER PRIMARY KEY,
    coverage_id   INTEGER NOT NULL REFERENCES coverage(id),
    valid_from    TEXT CHECK (valid_from IS NULL OR date(valid_from, '+0 days') IS valid_from),
    valid_to      TEXT CHECK (valid_to IS NULL OR date(valid_to, '+0 days') IS valid_to),
    recorded_at   TEXT,
    department_id INTEGER REFERENCES department(id),
    kind          TEXT NOT NULL CHECK (kind IN ('frame-cut', 'one-off', 'budget-transfer')),
    year          INTEGER CHECK (year BETWEEN 1990 AND 2100),
    from_year     INTEGER CHECK (from_year BETWEEN 1990 AND 2100),
    amount        INTEGER NOT NULL CHECK (abs(amount) < 1000000000000000),
    price_level   INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    note          TEXT,
    CHECK ((year IS NULL) <> (from_year IS NULL)),
    CHECK (kind <> 'one-off' OR year IS NOT NULL),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
) STRICT;
CREATE UNIQUE INDEX coverage_version_current ON coverage_version(coverage_id)
    WHERE valid_to IS NULL;
CREATE INDEX coverage_version_coverage ON coverage_version(coverage_id, valid_from);
CREATE INDEX coverage_version_department ON coverage_version(department_id);

-- == codes: a counter per kind, never reusing a removed record's code ===========================

CREATE TABLE code_counter (
    kind TEXT PRIMARY KEY,
    next INTEGER NOT NULL CHECK (next >= 1)
) STRICT, WITHOUT ROWID;

-- == published reports: what the directors actually received ===================================

DROP TABLE report_run;
CREATE TABLE published_report (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    report       TEXT NOT NULL CHECK (report IN ('status', 'savings', 'deliverables', 'project')),
    portfolio_id INTEGER REFERENCES portfolio(id),
    subject      TEXT,
    as_of        TEXT NOT NULL CHECK (date(as_of, '+0 days') IS as_of),
    since        TEXT CHECK (since IS NULL OR date(since, '+0 days') IS since),
    lang         TEXT NOT NULL CHECK (lang IN ('da', 'en')),
    made_at      TEXT NOT NULL,
    made_by      TEXT NOT NULL,
    journal_rows INTEGER NOT NULL,
    journal_head TEXT NOT NULL,
    digest       TEXT NOT NULL,
    model        TEXT NOT NULL CHECK (json_valid(model))
) STRICT;
CREATE INDEX published_report_lookup ON published_report(report, portfolio_id, as_of);
CREATE TABLE published_file (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES published_report(id),
    format    TEXT NOT NULL CHECK (format IN ('text', 'md', 'html', 'json', 'csv', 'xlsx')),
    content   BLOB NOT NULL,
    UNIQUE (report_id, format)
) STRICT;
CREATE TRIGGER published_report_frozen BEFORE UPDATE ON published_report
BEGIN SELECT RAISE(ABORT, 'a published report does not change'); END;
CREATE TRIGGER published_file_frozen BEFORE UPDATE ON published_file
BEGIN SELECT RAISE(ABORT, 'a published report does not change'); END;

-- == the journal: reads by record ==============================================================

CREATE INDEX journal_record ON journal(entity, entity_id);
CREATE INDEX journal_removal ON journal(entity) WHERE action = 'remove';
