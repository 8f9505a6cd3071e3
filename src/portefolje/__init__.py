"""portefolje: portfolio steering of cross-cutting welfare projects (tværgående udviklingsprojekter)."""

__version__ = "0.1.0"
