"""The reader site: `portefolje serve` runs Datasette read-only over one portefolje database,
with Danish metadata, canned queries, and pages that render the status report and the project
sheets from the same report model as the CLI. Datasette is an optional extra
(`pip install "portefolje[web]"`) and is imported only here, only by `serve`."""
