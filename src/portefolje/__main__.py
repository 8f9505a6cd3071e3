"""`python -m portefolje` runs the same entry point as the console script."""

from portefolje.entry import main

if __name__ == "__main__":  # not when a helper process (cli/reader.py) imports it
    main()
