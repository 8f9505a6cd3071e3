"""`python -m portefolje` runs the same entry point as the console script."""

from portefolje.entry import main

main()
