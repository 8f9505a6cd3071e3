-- 0008 migration log: each migration run, so that `db check` can say which portefolje version
-- upgraded a database and when. The runner (store/connection.py) inserts one row per step it
-- applies, in the same transaction as the steps; runs before this table existed are not known.
-- Not journaled: it records the schema, not the register.

CREATE TABLE schema_migration (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL,
    app_version TEXT NOT NULL
) STRICT;
