"""Indicator charts as inline SVG, drawn at generation time by Vega-Lite (vl-convert).

The chart is a Vega-Lite spec kept as a template (``report/charts/indicator.vl.json.j2``)
whose data is named; vl-convert compiles it to Vega once per language and
unit, fills in each chart's data and renders the SVG without a browser and
without the network (``allowed_base_urls=[]``: a spec that names a URL is an
error, not a request). The SVG is then made fit to sit inline among others
in one page: its ids get a prefix of their own (vl-convert numbers clip
paths from 1 in every chart), it becomes one image for assistive technology
(``role="img"`` with a ``<title>`` and a ``<desc>``; Vega's own English
ARIA labels are switched off in the spec), and it is checked to refer to
nothing outside itself — no URL, no external ``href``, no image, font or
script — so the report makes no request when viewed.

>>> svg = indicator_svg(anchor="c1", title="Andel", description="Tre värden.",
...                     values=[(2020, 1.0), (2021, 2.0)], target=(3.0, 2023), lang="sv")
>>> svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Literal

from goalgraph.errors import ReportError
from goalgraph.i18n import message
from goalgraph.report.html import number as _number
from goalgraph.resources import report_dir

if TYPE_CHECKING:
    import jinja2

__all__ = ["check_self_contained", "datasets", "indicator_svg", "spec"]

_OPENING = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\sid="([^"]+)"')
_LOCAL_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
_SINGLE_QUOTED = re.compile(r"\s[\w:-]+\s*=\s*'")
_NAMESPACE = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')
# What would make a browser load something: a tag that fetches, an external href, a CSS url()
# that is not #local, an import or font, or a URL scheme in any attribute or style.
_EXTERNAL = (
    re.compile(r"<(?:image|foreignObject|script|iframe|feImage|font-face-uri)\b", re.IGNORECASE),
    re.compile(r'\s(?:[\w-]+:)?href\s*=\s*"(?!#)[^"]+"'),
    re.compile(r"url\(\s*['\"]?(?!#)[^)]*\)", re.IGNORECASE),
    re.compile(r"@import|@font-face", re.IGNORECASE),
    re.compile(r'="[^"]*\b(?:https?|ftp|file|data|javascript):[^"]*"', re.IGNORECASE),
)
_LOCALES: dict[str, Literal["sv-SE", "en-US"]] = {"sv": "sv-SE", "en": "en-US"}


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(report_dir() / "charts"),
        autoescape=False,  # the template writes JSON; every value goes through tojson
        undefined=jinja2.StrictUndefined,
    )


def datasets(
    values: Sequence[tuple[int, float]], target: tuple[float, int | None] | None, lang: str
) -> dict[str, list[dict[str, object]]]:
    """The chart's named data: the yearly values, the target level and its point with a label.

    :raises: nothing; without a target both target datasets are empty.

    >>> datasets([(2020, 1.5)], (2.0, 2025), "sv")["target_point"]
    [{'year': 2025, 'value': 2.0, 'label': 'Målnivå 2'}]
    """
    rows: list[dict[str, object]] = [{"year": year, "value": value} for year, value in values]
    if target is None:
        return {"values": rows, "target": [], "target_point": []}
    label = f"{message('report.target', lang)} {_number(target[0], lang)}"
    point: list[dict[str, object]] = []
    if target[1] is not None:
        point = [{"year": target[1], "value": target[0], "label": label}]
    return {"values": rows, "target": [{"value": target[0]}], "target_point": point}


def spec(
    *,
    values: Sequence[tuple[int, float]],
    target: tuple[float, int | None] | None,
    lang: str,
    unit: str | None = None,
    width: int = 520,
    height: int = 170,
) -> dict[str, object]:
    """The Vega-Lite spec of one indicator chart (a dict), from the spec template.

    :raises ValueError: only if the template does not give valid JSON (a programming error).

    >>> spec(values=[(2020, 1.5)], target=None, lang="en")["datasets"]["values"]
    [{'value': 1.5, 'year': 2020}]
    """
    data = datasets(values, target, lang)
    template = _environment().get_template("indicator.vl.json.j2")
    text = template.render(
        values=data["values"],
        target=data["target"],
        target_point=data["target_point"],
        labels={
            "year": message("report.year", lang),
            "value": _value_title(lang, unit),
        },
        width=width,
        height=height,
    )
    loaded: dict[str, object] = json.loads(text)
    return loaded


# Stands in for the unit while compiling, so that one compiled spec serves every unit.
_UNIT = "\u2063unit\u2063"


@cache
def _compiled(lang: str) -> str:
    """The Vega spec (JSON text) compiled once from the Vega-Lite template for *lang*.

    Compiling Vega-Lite costs as much as drawing; the compiled spec differs
    between charts only in its named data and the unit in the value axis's
    title, which :func:`indicator_svg` fills in.
    """
    import vl_convert as vlc

    return json.dumps(vlc.vegalite_to_vega(spec(values=[], target=None, lang=lang, unit=_UNIT)))


def _value_title(lang: str, unit: str | None) -> str:
    return message("report.value", lang) + (f" ({unit})" if unit else "")


def _with_unit(compiled: str, *, lang: str, unit: str | None, title: str) -> str:
    """*compiled* with the value axis titled for *unit*.

    :raises ReportError: unless the stand-in title occurs exactly once (a chart
        is never drawn with another chart's title).
    """
    stand_in = json.dumps(_value_title(lang, _UNIT))
    if compiled.count(stand_in) != 1:
        raise ReportError(
            message("report.chart_failed", lang, indicator=title, reason="no unit in the spec")
        )
    return compiled.replace(stand_in, json.dumps(_value_title(lang, unit)))


def indicator_svg(
    *,
    anchor: str,
    title: str,
    description: str,
    values: Sequence[tuple[int, float]],
    target: tuple[float, int | None] | None,
    lang: str,
    unit: str | None = None,
) -> str:
    """One indicator's chart as self-contained inline SVG markup.

    :param anchor: a prefix unique in the page, for the chart's ids.
    :param title: the chart's accessible name (its ``<title>``).
    :param description: what the chart shows, in words (its ``<desc>``).
    :param values: (year, value) pairs.
    :param target: (value, year or None) of the target level, if any.
    :raises ReportError: if vl-convert fails, or the SVG refers to anything outside itself.
    """
    import vl_convert as vlc

    vega = json.loads(_with_unit(_compiled(lang), lang=lang, unit=unit, title=title))
    data = datasets(values, target, lang)
    for entry in vega.get("data", []):
        if entry.get("name") in data:
            entry["values"] = data.pop(entry["name"])
    if data:  # the template and the compiled spec disagree: never draw a chart without its data
        raise ReportError(
            message("report.chart_failed", lang, indicator=title, reason=f"no data {sorted(data)}")
        )
    try:
        svg = vlc.vega_to_svg(vega, allowed_base_urls=[], format_locale=_LOCALES.get(lang, "sv-SE"))
    except ValueError as exc:
        raise ReportError(
            message("report.chart_failed", lang, indicator=title, reason=str(exc).splitlines()[0])
        ) from exc
    return _inline(svg, anchor=anchor, title=title, description=description, lang=lang)


def _inline(svg: str, *, anchor: str, title: str, description: str, lang: str) -> str:
    """*svg* with prefixed ids, a title and description, checked to load nothing.

    Vega writes every attribute in double quotes; an SVG that does not is
    refused rather than half-renamed, since a missed id would clip one chart
    with another's path.
    """
    if _SINGLE_QUOTED.search(svg):
        raise ReportError(
            message("report.chart_failed", lang, indicator=title, reason="unexpected SVG syntax")
        )
    check_self_contained(svg, what=title, lang=lang)
    ids = set(_ID.findall(svg))
    if ids:
        svg = _ID.sub(lambda m: f' id="{anchor}-{m.group(1)}"', svg)
        svg = _LOCAL_REF.sub(
            lambda m: m.group(1) + (f"{anchor}-{m.group(2)}" if m.group(2) in ids else m.group(2)),
            svg,
        )
    opening = _OPENING.search(svg)
    if opening is None:
        raise ReportError(
            message("report.chart_failed", lang, indicator=title, reason="no <svg> element")
        )
    # Vega names its root "marks", a class of the page's own; the chart gets a class of its own.
    tag = re.sub(r'\sclass="[^"]*"', "", opening.group(0)[:-1]).rstrip("/ ")
    head = (
        f'{tag} class="chart-svg" role="img" aria-labelledby="{anchor}-title {anchor}-desc">'
        f'<title id="{anchor}-title">{escape(title)}</title>'
        f'<desc id="{anchor}-desc">{escape(description)}</desc>'
    )
    return svg[: opening.start()] + head + svg[opening.end() :]


def check_self_contained(svg: str, *, what: str, lang: str) -> None:
    """Raise if the SVG markup *svg* refers to anything outside itself.

    Allowed are only references to its own ids (``url(#…)``, ``href="#…"``)
    and namespace names; anything else — a URL in any attribute or style, an
    external ``href``, an ``<image>``, ``<foreignObject>`` or ``<script>``, an
    ``@import`` or ``@font-face`` — would make the browser load it.

    :raises ReportError: naming the chart (*what*) and the reference.

    >>> check_self_contained('<svg xmlns="http://www.w3.org/2000/svg"/>', what="x", lang="en")
    >>> check_self_contained(
    ...     '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://a.b/c.png"/></svg>',
    ...     what="x", lang="en")
    Traceback (most recent call last):
    goalgraph.errors.ReportError: The chart of x refers to an external resource ...
    """
    text = _NAMESPACE.sub("", svg)
    found = None
    for pattern in _EXTERNAL:
        match = pattern.search(text)
        if match:
            found = match.group(0)
            break
    if found:
        raise ReportError(
            message("report.chart_external", lang, indicator=what, reference=found[:120])
        )
