-- 0003 economics: savings claims, investments, targets with distribution keys, price indices.
-- Money is INTEGER kroner. A saving or target is for one year or recurs from a year onwards.

CREATE TABLE saving (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id    INTEGER NOT NULL REFERENCES project(id),
    solution_id   INTEGER REFERENCES solution(id),
    department_id INTEGER REFERENCES department(id),
    area          TEXT NOT NULL DEFAULT 'service'
                  CHECK (area IN ('service', 'overforsler', 'indsats', 'anlaeg')),
    year          INTEGER CHECK (year BETWEEN 1990 AND 2100),
    from_year     INTEGER CHECK (from_year BETWEEN 1990 AND 2100),
    amount        INTEGER NOT NULL,
    stage         TEXT NOT NULL DEFAULT 'estimated'
                  CHECK (stage IN ('estimated', 'documented', 'budgeted')),
    price_level   INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    note          TEXT,
    CHECK ((year IS NULL) <> (from_year IS NULL))
) STRICT;
CREATE INDEX saving_project ON saving(project_id);
CREATE INDEX saving_department ON saving(department_id);

CREATE TABLE investment (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    project_id    INTEGER NOT NULL REFERENCES project(id),
    department_id INTEGER REFERENCES department(id),
    area          TEXT NOT NULL DEFAULT 'service'
                  CHECK (area IN ('service', 'overforsler', 'indsats', 'anlaeg')),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    amount        INTEGER NOT NULL,
    funding       TEXT,
    price_level   INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    note          TEXT
) STRICT;
CREATE INDEX investment_project ON investment(project_id);

CREATE TABLE target (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id),
    year         INTEGER CHECK (year BETWEEN 1990 AND 2100),
    from_year    INTEGER CHECK (from_year BETWEEN 1990 AND 2100),
    amount       INTEGER NOT NULL,
    price_level  INTEGER CHECK (price_level BETWEEN 1990 AND 2100),
    note         TEXT,
    CHECK ((year IS NULL) <> (from_year IS NULL)),
    UNIQUE (portfolio_id, year, from_year)
) STRICT;

-- The distribution key (fordelingsnøgle) as exact fractions; the shares of a target sum to 1.
CREATE TABLE target_share (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES department(id),
    numerator     INTEGER NOT NULL CHECK (numerator > 0),
    denominator   INTEGER NOT NULL CHECK (denominator > 0 AND numerator <= denominator),
    UNIQUE (target_id, department_id)
) STRICT;

-- Price and wage index (pris- og lønindeks) typed in from KL's forecasts.
CREATE TABLE price_index (
    id    INTEGER PRIMARY KEY,
    code  TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code GLOB '*[^0-9]*'),
    year  INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 1990 AND 2100),
    value REAL NOT NULL CHECK (value > 0)
) STRICT;
