"""The reports room: report models built once from store queries, one renderer per format."""
