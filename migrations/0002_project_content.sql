-- 0002 project content: the project sheet's remaining fields (Slagelse template), solutions,
-- milestones, committee deliverables with prior handling, and effect indicators.

ALTER TABLE project ADD COLUMN deliverables TEXT;      -- leverancer: what the project delivers
ALTER TABLE project ADD COLUMN stakeholders TEXT;      -- interessenter
ALTER TABLE project ADD COLUMN steering_group TEXT;    -- styregruppe
ALTER TABLE project ADD COLUMN participants TEXT;      -- projektdeltagere
ALTER TABLE project ADD COLUMN reference_group TEXT;   -- følgegruppe
ALTER TABLE project ADD COLUMN benefits TEXT;          -- gevinster: kvalitet, service, politiske
ALTER TABLE project ADD COLUMN prerequisites TEXT;     -- forudsætninger for hjemtagelse

CREATE TABLE solution (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id         INTEGER NOT NULL REFERENCES project(id),
    title              TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind               TEXT CHECK (kind IN ('procedure', 'organisation', 'cooperation-agreement',
                                            'information', 'legal-agreement', 'it', 'other')),
    status             TEXT NOT NULL DEFAULT 'idea' CHECK (status IN ('idea', 'developing', 'trial',
                                            'implemented', 'handed-over', 'dropped')),
    status_date        TEXT CHECK (status_date IS NULL OR date(status_date) = status_date),
    trial_from         TEXT CHECK (trial_from IS NULL OR date(trial_from) = trial_from),
    trial_to           TEXT CHECK (trial_to IS NULL OR date(trial_to) = trial_to),
    trial_population   TEXT,
    handed_over_to     INTEGER REFERENCES department(id),
    description        TEXT,
    expected_effects   TEXT,
    documented_effects TEXT,
    CHECK (trial_to IS NULL OR trial_from IS NULL OR trial_to >= trial_from),
    CHECK (status <> 'handed-over' OR handed_over_to IS NOT NULL)
) STRICT;
CREATE INDEX solution_project ON solution(project_id);

CREATE TABLE solution_event (
    id          INTEGER PRIMARY KEY,
    solution_id INTEGER NOT NULL REFERENCES solution(id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date) = date),
    old_status  TEXT,
    new_status  TEXT NOT NULL,
    note        TEXT
) STRICT;
CREATE INDEX solution_event_solution ON solution_event(solution_id, date);

CREATE TABLE milestone (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id   INTEGER REFERENCES project(id),
    portfolio_id INTEGER REFERENCES portfolio(id),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due_date     TEXT NOT NULL CHECK (date(due_date) = due_date),
    done_date    TEXT CHECK (done_date IS NULL OR date(done_date) = done_date),
    note         TEXT,
    CHECK ((project_id IS NULL) <> (portfolio_id IS NULL))
) STRICT;
CREATE INDEX milestone_project ON milestone(project_id, due_date);
CREATE INDEX milestone_portfolio ON milestone(portfolio_id, due_date);
CREATE INDEX milestone_due ON milestone(due_date) WHERE done_date IS NULL;

-- Every move keeps the earlier due date and the reason, so slippage stays visible.
CREATE TABLE milestone_move (
    id           INTEGER PRIMARY KEY,
    milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    moved_on     TEXT NOT NULL CHECK (date(moved_on) = moved_on),
    old_due      TEXT NOT NULL CHECK (date(old_due) = old_due),
    new_due      TEXT NOT NULL CHECK (date(new_due) = new_due),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;
CREATE INDEX milestone_move_milestone ON milestone_move(milestone_id);

CREATE TABLE deliverable (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    committee_id   INTEGER NOT NULL REFERENCES committee(id),
    portfolio_id   INTEGER REFERENCES portfolio(id),
    meeting_date   TEXT NOT NULL CHECK (date(meeting_date) = meeting_date),
    kind           TEXT CHECK (kind IN ('orientering', 'drøftelse', 'beslutning')),
    status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'delivered', 'postponed')),
    delivered_date TEXT CHECK (delivered_date IS NULL OR date(delivered_date) = delivered_date),
    description    TEXT
) STRICT;
CREATE INDEX deliverable_meeting ON deliverable(meeting_date);
CREATE INDEX deliverable_committee ON deliverable(committee_id, meeting_date);

CREATE TABLE deliverable_project (
    id             INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverable(id) ON DELETE CASCADE,
    project_id     INTEGER NOT NULL REFERENCES project(id),
    UNIQUE (deliverable_id, project_id)
) STRICT;
CREATE INDEX deliverable_project_project ON deliverable_project(project_id);

-- Forbehandling: the case goes to another committee first (BUU before ØU).
CREATE TABLE deliverable_prior (
    id             INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverable(id) ON DELETE CASCADE,
    committee_id   INTEGER NOT NULL REFERENCES committee(id),
    meeting_date   TEXT NOT NULL CHECK (date(meeting_date) = meeting_date),
    kind           TEXT CHECK (kind IN ('orientering', 'drøftelse', 'beslutning'))
) STRICT;
CREATE INDEX deliverable_prior_deliverable ON deliverable_prior(deliverable_id);

CREATE TABLE deliverable_postponement (
    id             INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverable(id) ON DELETE CASCADE,
    postponed_on   TEXT NOT NULL CHECK (date(postponed_on) = postponed_on),
    old_date       TEXT NOT NULL CHECK (date(old_date) = old_date),
    new_date       TEXT NOT NULL CHECK (date(new_date) = new_date),
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;
CREATE INDEX deliverable_postponement_deliverable ON deliverable_postponement(deliverable_id);

-- Effect indicators: the non-economic benefits register (effektmål med baseline og mål).
CREATE TABLE indicator (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id     INTEGER NOT NULL REFERENCES project(id),
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit           TEXT,
    baseline       REAL,
    baseline_date  TEXT CHECK (baseline_date IS NULL OR date(baseline_date) = baseline_date),
    target         REAL,
    target_date    TEXT CHECK (target_date IS NULL OR date(target_date) = target_date),
    measured_by    TEXT
) STRICT;
CREATE INDEX indicator_project ON indicator(project_id);

CREATE TABLE indicator_measurement (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    date         TEXT NOT NULL CHECK (date(date) = date),
    value        REAL NOT NULL,
    note         TEXT
) STRICT;
CREATE INDEX indicator_measurement_indicator ON indicator_measurement(indicator_id, date);
