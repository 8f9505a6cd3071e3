-- 0007 governance records: the risk register, the meetings of steering bodies with their
-- decisions and the actions they asked for, the pipeline of proposals (proposed segments,
-- scoring criteria and scores), and dependencies between projects or on outside initiatives.
--
-- As everywhere since schema 6, a fact has an effective date and the state on a day is read
-- from history: a risk's score is its latest assessment on or before the day, a risk is closed
-- from its closing event, an action is done from its done event, a dependency holds from
-- valid_from until valid_to (exclusive), a score is the latest one given on or before the day.
-- Steering bodies (Direktørforum, a steering group) are committee rows: no second kind.

-- == risks (risici): probability × consequence, 1-5 each, re-assessed over time ===============

CREATE TABLE risk (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id   INTEGER REFERENCES project(id),
    portfolio_id INTEGER REFERENCES portfolio(id),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description  TEXT,
    owner        TEXT,     -- a role (risikoejer), never a person's name
    response     TEXT,     -- the response (tiltag) that should bring the score down
    CHECK ((project_id IS NULL) <> (portfolio_id IS NULL))
) STRICT;
CREATE INDEX risk_project ON risk(project_id);
CREATE INDEX risk_portfolio ON risk(portfolio_id);

-- every assessment is kept: the score before and after a response stays visible; the first
-- assessment is the day the risk was identified
CREATE TABLE risk_assessment (
    id          INTEGER PRIMARY KEY,
    risk_id     INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    probability INTEGER NOT NULL CHECK (probability BETWEEN 1 AND 5),
    consequence INTEGER NOT NULL CHECK (consequence BETWEEN 1 AND 5),
    note        TEXT,
    recorded_at TEXT
) STRICT;
CREATE INDEX risk_assessment_risk ON risk_assessment(risk_id, date);
CREATE INDEX risk_assessment_date ON risk_assessment(date);

CREATE TABLE risk_event (
    id          INTEGER PRIMARY KEY,
    risk_id     INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind        TEXT NOT NULL CHECK (kind IN ('closed', 'reopened')),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    recorded_at TEXT
) STRICT;
CREATE INDEX risk_event_risk ON risk_event(risk_id, date);

-- == meetings of a steering body or committee, their decisions and actions ====================

CREATE TABLE meeting (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    committee_id INTEGER NOT NULL REFERENCES committee(id),
    portfolio_id INTEGER REFERENCES portfolio(id),   -- a programme's own steering meeting
    date         TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    title        TEXT
) STRICT;
CREATE INDEX meeting_committee ON meeting(committee_id, date);
CREATE INDEX meeting_portfolio ON meeting(portfolio_id);
CREATE INDEX meeting_date ON meeting(date);

CREATE TABLE decision (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    text       TEXT NOT NULL CHECK (length(trim(text)) > 0)
) STRICT;
CREATE INDEX decision_meeting ON decision(meeting_id);

-- the projects a decision concerns (part of the decision: removed with it)
CREATE TABLE decision_project (
    id          INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
    project_id  INTEGER NOT NULL REFERENCES project(id),
    UNIQUE (decision_id, project_id)
) STRICT;
CREATE INDEX decision_project_project ON decision_project(project_id);

CREATE TABLE action (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    owner        TEXT NOT NULL CHECK (length(trim(owner)) > 0),   -- a role, never a name
    opened       TEXT NOT NULL CHECK (date(opened, '+0 days') IS opened),     -- the day it was asked for
    due_date     TEXT NOT NULL CHECK (date(due_date, '+0 days') IS due_date),
    decision_id  INTEGER REFERENCES decision(id),
    project_id   INTEGER REFERENCES project(id),
    portfolio_id INTEGER REFERENCES portfolio(id),
    note         TEXT,
    CHECK (decision_id IS NOT NULL OR project_id IS NOT NULL OR portfolio_id IS NOT NULL)
) STRICT;
CREATE INDEX action_decision ON action(decision_id);
CREATE INDEX action_project ON action(project_id);
CREATE INDEX action_portfolio ON action(portfolio_id);
CREATE INDEX action_due ON action(due_date);

CREATE TABLE action_event (
    id          INTEGER PRIMARY KEY,
    action_id   INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind        TEXT NOT NULL CHECK (kind IN ('done', 'undone')),
    reason      TEXT,
    recorded_at TEXT
) STRICT;
CREATE INDEX action_event_action ON action_event(action_id, date);

-- == the pipeline: approvals name their decision; candidate segments; scoring ==================

ALTER TABLE project_event ADD COLUMN decision_id INTEGER REFERENCES decision(id);
CREATE INDEX project_event_decision ON project_event(decision_id);

-- a segment without events has been active from the beginning; a candidate segment is proposed,
-- then approved (active) on a decision or rejected with a reason
CREATE TABLE segment_event (
    id          INTEGER PRIMARY KEY,
    segment_id  INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    old_value   TEXT CHECK (old_value IN ('proposed', 'active', 'rejected')),
    new_value   TEXT NOT NULL CHECK (new_value IN ('proposed', 'active', 'rejected')),
    note        TEXT,
    decision_id INTEGER REFERENCES decision(id),
    recorded_at TEXT
) STRICT;
CREATE INDEX segment_event_segment ON segment_event(segment_id, date);
CREATE INDEX segment_event_decision ON segment_event(decision_id);

CREATE TABLE criterion (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    weight       INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
    description  TEXT
) STRICT;
CREATE INDEX criterion_portfolio ON criterion(portfolio_id);

-- every score given is kept; the one in force on a day is the latest on or before it
CREATE TABLE project_score (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criterion(id),
    date         TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    note         TEXT,
    recorded_at  TEXT
) STRICT;
CREATE INDEX project_score_project ON project_score(project_id, criterion_id, date);
CREATE INDEX project_score_criterion ON project_score(criterion_id);

-- == dependencies: on another project, or on a named initiative outside the portfolio =========

CREATE TABLE project_dependency (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    on_project_id INTEGER REFERENCES project(id),
    external      TEXT CHECK (external IS NULL OR length(trim(external)) > 0),
    note          TEXT,
    valid_from    TEXT NOT NULL CHECK (date(valid_from, '+0 days') IS valid_from),
    valid_to      TEXT CHECK (valid_to IS NULL OR date(valid_to, '+0 days') IS valid_to),
    recorded_at   TEXT,
    CHECK ((on_project_id IS NULL) <> (external IS NULL)),
    CHECK (on_project_id IS NULL OR on_project_id <> project_id),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
) STRICT;
CREATE INDEX project_dependency_project ON project_dependency(project_id, valid_from);
CREATE INDEX project_dependency_on ON project_dependency(on_project_id);
