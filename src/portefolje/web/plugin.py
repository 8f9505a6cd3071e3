"""The Datasette plugin inside portefolje: report pages, today's date for the canned queries, and
Danish amounts and links in result tables.

Routes (under Datasette's base URL):
- `/-/rapport` — the status report, `?portefolje=CODE` for one portfolio, `?dato=YYYY-MM-DD`
  for another day, `?format=md|json|csv|text|xlsx` for the other formats;
- `/-/projekt/CODE` — a project sheet, with `dato` and `format` (md, json, text) likewise.
Both are built by the same builders as `report status` and `report project`, on a read-only
connection of their own, opened the way Datasette opens the file (immutable or `mode=ro`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from portefolje.domain.errors import InvalidValue, NotFound, PortefoljeError

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MONEY = {
    "Sparemål",
    "Dokumenteret",
    "Budgetlagt",
    "Anden dækning",
    "Mangler",
    "Estimeret",
    "Mangler efter estimeret",
}
NAV = """<nav class="portefolje-nav" style="font:14px system-ui,sans-serif;padding:8px 12px;\
background:#1f5f8b;color:#fff"><style>.portefolje-nav a{color:#fff;margin-right:14px}\
@media print{.portefolje-nav{display:none}}</style>\
<a href="{{ home }}">Forside</a><a href="{{ report }}">Statusrapport</a>\
{% for code, name in portfolios %}<a href="{{ report }}?portefolje={{ code }}">{{ code }}</a>\
{% endfor %}{% for fmt in formats %}<a href="?{{ query }}format={{ fmt }}">{{ fmt }}</a>\
{% endfor %}</nav>"""


# the column labels are shown in the table headers (templates/_table.html), so the list of
# column descriptions above each table only repeats them; amounts and counts align right
CSS = """dl.column-descriptions { display: none; }
td.type-int, td.type-float { text-align: right; white-space: nowrap; }
"""


@hookimpl
def register_routes() -> list[tuple[str, Callable[..., Any]]]:
    return [
        (r"^/-/rapport$", status_page),
        (r"^/-/projekt/(?P<code>[^/]+)$", project_page),
        (r"^/-/portefolje\.css$", stylesheet),
    ]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/-/portefolje.css")]


async def stylesheet() -> Response:
    return Response(CSS, content_type="text/css; charset=utf-8")


@hookimpl
def register_magic_parameters() -> list[tuple[str, Callable[[str, Any], str]]]:
    return [("portefolje", _magic)]


def _magic(key: str, request: Any) -> str:
    """`:_portefolje_idag`: today in Copenhagen (or PORTEFOLJE_TODAY), as the CLI's today."""
    if key != "idag":
        raise KeyError(key)
    from portefolje.domain.dates import today

    return today().isoformat()


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Amounts in the canned queries as Danish kroner; project codes link to their sheet."""
    from markupsafe import Markup

    if table is None and column in MONEY and isinstance(value, int):
        from portefolje.domain.amounts import format_kr

        return format_kr(value, "da")
    linked = (table is None and column == "Projekt") or (table == "project" and column == "code")
    if linked and isinstance(value, str) and value:
        href = datasette.urls.path(f"/-/projekt/{value}")
        return Markup('<a href="{}">{}</a>').format(href, value)
    return None


@hookimpl
def asgi_wrapper() -> Callable[[Any], Any]:
    """Only reading: any method but GET and HEAD is refused before Datasette sees it (Datasette
    0.65 has no write API, but a POST to a table page would reach an assertion)."""

    def wrap(app: Any) -> Any:
        async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
                await Response.text("Siden kan kun læses.\n", status=405).asgi_send(send)
                return
            await app(scope, receive, send)

        return read_only

    return wrap


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path("/-/rapport"), "label": "Statusrapport"}]


def served(datasette: Any) -> Any:
    """The one portefolje database the site serves."""
    return next(db for db in datasette.databases.values() if db.path)


async def status_page(request: Any, datasette: Any) -> Response:
    from portefolje.reports import status

    portfolio = request.args.get("portefolje") or None

    def make(conn: Any, day: date) -> Any:
        return status.build(conn, portfolio=portfolio, as_of=day, since=None, lang="da")

    return await _page(request, datasette, make, ("html", "md", "json", "csv", "text", "xlsx"))


async def project_page(request: Any, datasette: Any) -> Response:
    from portefolje.reports import project_sheet

    code = request.url_vars["code"]

    def make(conn: Any, day: date) -> Any:
        return project_sheet.build(conn, code, as_of=day, lang="da")

    return await _page(request, datasette, make, ("html", "md", "json", "text"))


async def _page(
    request: Any, datasette: Any, make: Callable[[Any, date], Any], formats: tuple[str, ...]
) -> Response:
    """Build a report on a read-only connection in a worker thread and render it."""
    from portefolje.domain.dates import parse_date, today

    fmt = request.args.get("format") or "html"
    try:
        if fmt not in formats:
            raise InvalidValue(f"ukendt format {fmt!r}: vælg {', '.join(formats)}")
        day = parse_date(request.args["dato"]) if request.args.get("dato") else today()
        db = served(datasette)
        body = await asyncio.get_running_loop().run_in_executor(
            None, _render, Path(db.path), not db.is_mutable, make, day, fmt
        )
    except NotFound as exc:
        return Response.text(f"Findes ikke: {exc}\n", status=404)
    except PortefoljeError as exc:
        return Response.text(f"Fejl: {exc}\n", status=400)
    if fmt == "html":
        body = _with_nav(body.decode("utf-8"), request, datasette).encode("utf-8")
    return Response(body, content_type=CONTENT_TYPES[fmt])


def _render(
    path: Path, immutable: bool, make: Callable[[Any, date], Any], day: date, fmt: str
) -> bytes:
    from portefolje.reports.output import render
    from portefolje.store import readonly

    f = readonly.open_readonly(path, immutable=immutable)
    try:
        readonly.read_snapshot(f)
        return render(make(f.conn, day), fmt)
    finally:
        f.close()


def _with_nav(page: str, request: Any, datasette: Any) -> str:
    """The report page with a bar of links back to the site, hidden when printed."""
    from urllib.parse import urlencode

    import jinja2

    kept = {k: request.args.get(k) for k in request.args if k != "format"}
    portfolios = datasette.metadata("portefolje_portfolios") or []
    nav = (
        jinja2.Environment(autoescape=True)
        .from_string(NAV)
        .render(
            home=datasette.urls.path("/"),
            report=datasette.urls.path("/-/rapport"),
            portfolios=portfolios,
            formats=("md", "json", "csv", "xlsx") if "rapport" in request.path else ("md", "json"),
            query=urlencode(kept) + "&" if kept else "",
        )
    )
    head, sep, tail = page.partition("<body>")
    return head + sep + "\n" + nav + tail
