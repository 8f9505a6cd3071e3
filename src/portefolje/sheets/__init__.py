"""The spreadsheet bridge: CSV and XLSX sheets in (import by kind, all or nothing) and the
register out to Excel and CSV. Reading files lives in read.py, column meaning in columns.py,
writing through the store's Writer in apply.py."""
