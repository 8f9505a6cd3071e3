"""The store room: the only place with SQL. Connection settings, migrations, the one write path
(BEGIN IMMEDIATE → validate → write → journal) and the queries the CLI and reports read."""
