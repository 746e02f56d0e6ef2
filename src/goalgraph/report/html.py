"""Render a :class:`~goalgraph.report.model.Report` as one self-contained HTML page.

The page is built from the Jinja2 templates in ``report/templates/``; the
stylesheet ``report.css`` is inlined and charts are inline SVG, so the file
loads nothing when viewed. A Content-Security-Policy of ``default-src 'none'``
makes any accidental reference fail loudly in the browser instead of
reaching the network. No script is used.

>>> number(1234.5, "sv")
'1\\xa0234,5'
>>> number(0.25, "en")
'0.25'
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from goalgraph.i18n import message
from goalgraph.resources import report_dir

if TYPE_CHECKING:
    import jinja2

    from goalgraph.report.model import Report

__all__ = ["number", "render_html", "stylesheet"]


def number(value: float, lang: str) -> str:
    """*value* for people: at most two decimals, Swedish decimal comma and grouping in ``sv``.

    :raises TypeError: if *value* is not a number.

    >>> number(3.0, "sv"), number(-0.375, "sv")
    ('3', '-0,38')
    """
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


@cache
def stylesheet() -> str:
    """The report's CSS (``report/templates/report.css``), inlined into every page."""
    return (report_dir() / "templates" / "report.css").read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(report_dir() / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    return env


def render_html(report: Report) -> str:
    """The report as a complete HTML document (a string), in the report's language.

    :raises jinja2.TemplateError: only if a template is broken (a programming error).

    >>> from goalgraph import load
    >>> from goalgraph.report import gather
    >>> html = render_html(gather(load("examples/vetlanda")))  # doctest: +SKIP
    >>> "<svg" in html or "Vetlanda" in html  # doctest: +SKIP
    True
    """

    def t(key: str, **values: Any) -> str:
        return message(f"report.{key}", report.lang, **values)

    template = _environment().get_template("report.html.j2")
    return template.render(report=report, css=stylesheet(), t=t)
