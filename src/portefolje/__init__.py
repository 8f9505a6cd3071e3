"""portefolje: portfolio steering of cross-cutting welfare projects (tværgående projekter)."""

# The one place for the version (pyproject.toml reads it from here): semantic versioning, raised
# with every change set that lands, and listed in CHANGELOG.md.
__version__ = "0.2.0"
