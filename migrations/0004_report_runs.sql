-- 0004 report runs: the as-of date of each status report generated, per portfolio (NULL = all),
-- so the next report's "changed since" can start where the previous one ended.

CREATE TABLE report_run (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    report       TEXT NOT NULL CHECK (report IN ('status')),
    portfolio_id INTEGER REFERENCES portfolio(id),
    as_of        TEXT NOT NULL CHECK (date(as_of) = as_of),
    UNIQUE (report, portfolio_id, as_of)
) STRICT;
