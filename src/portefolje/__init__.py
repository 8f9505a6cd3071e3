"""portefolje: portfolio steering of cross-cutting welfare projects (tværgående projekter)."""

# The one place for the version (pyproject.toml reads it from here): semantic versioning, raised
# with every change set that lands, and listed in CHANGELOG.md.
__version__ = "0.2.0"


class CollectorPaused:
    """Python's cycle collector held off for a bulk import: `with CollectorPaused(): …`.

    An import makes hundreds of thousands of small dicts, tuples and lists that live until its
    end, and none of them in a cycle; the collector would walk them again and again (about 1 s
    of a 200,000-line sheet, measured with gc.callbacks). Reference counting still frees what
    goes out of use; the collector runs again as before once the block ends."""

    def __enter__(self) -> None:
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        import gc

        if self.was:
            gc.enable()
