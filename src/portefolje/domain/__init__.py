"""The domain room: enums, rules, parsers and validation. Pure functions; no I/O, no SQL."""
