"""HTML pages: the Jinja2 environment shared by every route, with the interface's words.

Templates live in ``api/templates/`` (one per page, partials prefixed ``_``) and extend
``base.html``, which carries the language switch. ``render`` gives them the request, the
language, ``t`` (translation) and ``link`` (an IRI as a local or outward link).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from api import i18n, urls

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["urls"] = urls
# templates ship with the code: no stat() of every template file on every page (about 10% of
# an entity page's time under load, measured by benchmarks/run.py with py-spy)
templates.env.auto_reload = False


LANG_COOKIE = "lang"  # set by the language switch (``?lang=``) so that the choice sticks


def language(request) -> str:
    """``?lang=``, else the switch's cookie, else ``Accept-Language``, else French."""
    chosen = request.query_params.get("lang")
    if chosen not in i18n.LANGUAGES:
        chosen = request.cookies.get(LANG_COOKIE)
    return i18n.pick_language(chosen, request.headers.get("accept-language"))


def render(request, name: str, context: dict | None = None, *, status_code: int = 200,
           headers: dict | None = None) -> HTMLResponse:
    lang = language(request)
    settings = request.app.state.settings
    ctx = {
        "lang": lang,
        "other_languages": [x for x in i18n.LANGUAGES if x != lang],
        "t": lambda key, **values: i18n.text(key, lang, **values),
        "link": lambda iri: urls.link(iri, settings.base_iri),
        "settings": settings,
        "switch_url": lambda to: urls.with_query(
            request.url.path, **{**dict(request.query_params), "lang": to}),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code,
                                          headers=headers)
    response.headers.setdefault("Content-Language", lang)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
