"""portefolje: portfolio steering of cross-cutting welfare projects (tværgående projekter)."""

__version__ = "0.1.0"
