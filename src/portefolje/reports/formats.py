"""The formats each report has (a module of its own, so `--help` can list them without
loading any renderer)."""

REPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "status": ("text", "md", "html", "json", "csv", "xlsx"),
    "savings": ("text", "md", "html", "json", "csv", "xlsx"),
    "deliverables": ("text", "md", "html", "json", "csv", "ics"),
    "project": ("text", "md", "html", "json"),
}
