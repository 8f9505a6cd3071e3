-- 0001 foundation: the register of portfolios, departments, committees, segments and projects,
-- project status/health history, and the append-only change journal.
-- STRICT tables: money is INTEGER kroner, dates are ISO text, enums are checked here as a safety
-- net behind the CLI's own validation.

CREATE TABLE portfolio (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    owner       TEXT,
    description TEXT
) STRICT;

CREATE TABLE department (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0)
) STRICT;

CREATE TABLE committee (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0)
) STRICT;

CREATE TABLE segment (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category     TEXT CHECK (category IN ('familie', 'flere-indsatser', 'overgang')),
    track        TEXT,
    population   INTEGER CHECK (population >= 0),
    annual_cost  INTEGER,
    description  TEXT
) STRICT;
CREATE INDEX segment_portfolio ON segment(portfolio_id);

CREATE TABLE project (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    segment_id       INTEGER NOT NULL REFERENCES segment(id),
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    status_date      TEXT CHECK (status_date IS NULL OR date(status_date) = status_date),
    phase            TEXT CHECK (phase IN ('forberedelse', 'indsigt', 'udvikling', 'prøvehandling', 'implementering')),
    owner            TEXT,
    leader           TEXT,
    start_date       TEXT CHECK (start_date IS NULL OR date(start_date) = start_date),
    end_date         TEXT CHECK (end_date IS NULL OR date(end_date) = end_date),
    purpose          TEXT,
    case_number      TEXT,
    success_criteria TEXT,
    risks            TEXT,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX project_segment ON project(segment_id);

CREATE TABLE project_department (
    project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES department(id),
    PRIMARY KEY (project_id, department_id)
) STRICT, WITHOUT ROWID;

-- Every status and health change with its effective date and reason ("sat på pause grundet …").
-- The current health per dimension is the latest health event; status is kept on project too.
CREATE TABLE project_event (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    date       TEXT NOT NULL CHECK (date(date) = date),
    kind       TEXT NOT NULL CHECK (kind IN ('status', 'health')),
    dimension  TEXT CHECK (dimension IN ('overall', 'schedule', 'cost', 'economic-benefits', 'other-benefits')),
    old_value  TEXT,
    new_value  TEXT NOT NULL,
    note       TEXT,
    CHECK (kind = 'status' AND new_value IN ('active', 'paused', 'closed') AND dimension IS NULL
        OR kind = 'health' AND new_value IN ('green', 'yellow', 'red') AND dimension IS NOT NULL)
) STRICT;
CREATE INDEX project_event_project ON project_event(project_id, kind, date);

-- The change journal: one row per change, appended in the same transaction as the change.
-- Each row's hash covers the previous row's hash, so an edited or deleted row breaks the chain.
CREATE TABLE journal (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    os_user     TEXT NOT NULL,
    app_version TEXT NOT NULL,
    command     TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    code        TEXT,
    action      TEXT NOT NULL,
    before      TEXT CHECK (before IS NULL OR json_valid(before)),
    after       TEXT CHECK (after IS NULL OR json_valid(after)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE INDEX journal_at ON journal(at);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
