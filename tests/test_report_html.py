"""The HTML page of the report: self-contained, linked, accessible, and its charts inline SVG."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from goalgraph import load
from goalgraph.errors import ReportError
from goalgraph.report import gather, render_html
from goalgraph.report.charts import check_self_contained, indicator_svg, spec
from goalgraph.report.html import number

EXAMPLES = Path(__file__).parent.parent / "examples"


class Page(HTMLParser):
    """What a test needs to know about a page: ids, links, headings, resources, text by class."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.toned: list[list[str]] = []  # text of each status/state element
        self._open: list[tuple[str, int]] = []
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("br", "meta", "link", "img", "input", "hr"):
            return
        self._depth += 1
        classes = values.get("class", "").split()
        if any(c.startswith(("tone-", "status", "state")) for c in classes) and tag == "span":
            self.toned.append([])
            self._open.append((tag, self._depth))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][1] == self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._open:
            self.toned[-1].append(data)


@pytest.fixture(scope="module", params=["vetlanda", "vaggeryd", "norberg"])
def page(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The rendered report of one example: (name, html)."""
    return request.param, render_html(gather(load(EXAMPLES / request.param)))


def test_the_page_loads_nothing(page: tuple[str, str]) -> None:
    """No script, no src, no external link or CSS url; a CSP forbids any request anyway."""
    _, html = page
    parsed = Page(html)
    assert not any(tag in ("script", "img", "iframe", "link", "object") for tag, _ in parsed.tags)
    assert not any("src" in attrs or "srcset" in attrs for _, attrs in parsed.tags)
    assert all(link.startswith("#") for link in parsed.links)
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    assert "default-src 'none'" in html


def test_every_internal_link_has_a_target_and_ids_are_unique(page: tuple[str, str]) -> None:
    """Each #link points at an id of the page, and no id is used twice."""
    _, html = page
    parsed = Page(html)
    assert len(parsed.ids) == len(set(parsed.ids))
    missing = {link for link in parsed.links if link[1:] not in set(parsed.ids)}
    assert not missing


def test_headings_are_structured(page: tuple[str, str]) -> None:
    """One h1, and no heading skips a level on the way down."""
    _, html = page
    levels = Page(html).headings
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_status_and_criteria_are_never_colour_alone(page: tuple[str, str]) -> None:
    """Every coloured status or criterion state also says what it is in words."""
    _, html = page
    toned = Page(html).toned
    assert toned
    assert all(re.search(r"\w{3}", "".join(parts)) for parts in toned)


def test_the_page_is_swedish_by_default_and_prints_on_a4(page: tuple[str, str]) -> None:
    """The page declares lang="sv"; its stylesheet has an A4 page and hides navigation in print."""
    _, html = page
    assert '<html lang="sv">' in html
    assert "size: A4" in html
    print_css = html[html.index("@media print") :]
    hidden = next(rule for rule in print_css.split("}") if "display: none" in rule)
    assert ".toc" in hidden


def test_vetlanda_page_shows_every_nämnd_and_kf_goal() -> None:
    """The Vetlanda page names its four nämnder and four KF goals, marked illustrative."""
    html = render_html(gather(load(EXAMPLES / "vetlanda")))
    for name in (
        "Barn- och utbildningsnämnden",
        "Kultur- och fritidsnämnden",
        "Miljö- och byggnadsnämnden",
        "Socialnämnden",
    ):
        assert name in html
    for title in (
        "Fler mötesplatser och ett rikt förenings- och kulturliv i hela kommunen",
        "Minskad klimatpåverkan i hela kommunen",
    ):
        assert title in html
    assert "◆</span> illustrativt" in html


def test_an_english_page_is_english() -> None:
    """With lang="en" the page says lang="en" and uses English headings."""
    html = render_html(gather(load(EXAMPLES / "vetlanda"), lang="en"))
    assert '<html lang="en">' in html and "Findings to fix" in html


def test_swedish_labels_on_an_english_page_say_they_are_swedish() -> None:
    """A label the data has only in Swedish is marked lang="sv" on an English page, for
    screen readers; a Swedish page needs no such marks."""
    english = render_html(gather(load(EXAMPLES / "vetlanda"), lang="en"))
    assert '<span lang="sv">Den attraktiva kommunen</span>' in english
    swedish = render_html(gather(load(EXAMPLES / "vetlanda"), lang="sv"))
    assert swedish.count('lang="sv"') == 1  # the <html> element


def test_charts_are_inline_svg_with_text_alternatives_and_own_ids() -> None:
    """Two charts in one page: each an image with title and desc, ids prefixed, nothing external."""
    charts = [
        indicator_svg(
            anchor=f"c{n}",
            title=f"Nyckeltal {n}",
            description="Ökar.",
            values=[(2015, 1.0), (2019, 2.5)],
            target=(3.0, 2022),
            lang="sv",
        )
        for n in (1, 2)
    ]
    ids: list[str] = []
    for n, svg in enumerate(charts, start=1):
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"c{n}-title c{n}-desc"
        ids += [str(e.get("id")) for e in root.iter() if e.get("id")]
        assert all(i.startswith(f"c{n}-") for i in ids[-2:])
        assert "http://" not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)
    assert len(ids) == len(set(ids))


def test_a_chart_from_the_compiled_spec_equals_one_from_vega_lite() -> None:
    """Filling one compiled Vega spec with a chart's data draws exactly what Vega-Lite draws."""
    import vl_convert as vlc

    from goalgraph.report.charts import _inline

    values, target = [(2015, 62.0), (2017, 60.1), (2024, 73.0)], (80.0, 2022)
    fast = indicator_svg(
        anchor="x", title="t", description="d", values=values, target=target, lang="sv", unit="%"
    )
    direct = vlc.vegalite_to_svg(
        spec(values=values, target=target, lang="sv", unit="%"),
        allowed_base_urls=[],
        format_locale="sv-SE",
    )
    assert fast == _inline(direct, anchor="x", title="t", description="d", lang="sv")


def test_chart_ids_and_their_references_get_the_chart_prefix() -> None:
    """vl-convert numbers clip paths from 1 in every chart; inline, each chart's ids are its own."""
    from goalgraph.report.charts import _inline

    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip1"/></defs>'
        '<g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>'
    )
    svg = _inline(raw, anchor="nt1", title="NT1", description="d", lang="sv")
    assert 'id="nt1-clip1"' in svg and "url(#nt1-clip1)" in svg and 'href="#nt1-clip1"' in svg
    assert "url(#clip1)" not in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img"')
    assert '<title id="nt1-title">NT1</title><desc id="nt1-desc">d</desc>' in svg


def test_a_chart_title_is_escaped() -> None:
    """Text from the data cannot break out of the chart's title and description."""
    from goalgraph.report.charts import _inline

    svg = _inline(
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        anchor="a",
        title="<b>&</b>",
        description='"x" < y',
        lang="sv",
    )
    assert '<title id="a-title">&lt;b&gt;&amp;&lt;/b&gt;</title>' in svg
    ET.fromstring(svg)


def test_an_svg_with_single_quoted_attributes_is_refused() -> None:
    """An SVG in a syntax the id renaming does not expect is an error, not a half-renamed chart."""
    from goalgraph.report.charts import _inline

    with pytest.raises(ReportError):
        _inline(
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
            anchor="a",
            title="t",
            description="d",
            lang="sv",
        )


def test_chart_years_are_whole_and_distinct() -> None:
    """The year axis shows each year once, never half years (three years of values, no target)."""
    svg = indicator_svg(
        anchor="y",
        title="t",
        description="d",
        values=[(2016, 12.0), (2017, 15.0), (2018, 9.0)],
        target=None,
        lang="sv",
    )
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    years = texts[: texts.index("År")]
    assert years == ["2016", "2017", "2018"]


def test_chart_numbers_follow_the_language() -> None:
    """Axis labels use a decimal comma in Swedish and a point in English."""
    sv = indicator_svg(
        anchor="a",
        title="t",
        description="d",
        values=[(2015, 0.5), (2016, 1.5)],
        target=(3.0, 2022),
        lang="sv",
    )
    en = indicator_svg(
        anchor="b",
        title="t",
        description="d",
        values=[(2015, 0.5), (2016, 1.5)],
        target=(3.0, 2022),
        lang="en",
    )
    assert ">0,5<" in sv and ">0.5<" in en


def test_the_chart_spec_comes_from_the_template_with_the_data() -> None:
    """The Vega-Lite spec holds the values, the target as a rule and a point at its year."""
    made = spec(values=[(2015, 1.0)], target=(2.0, 2020), lang="sv", unit="%")
    assert made["datasets"] == {
        "values": [{"value": 1.0, "year": 2015}],
        "target": [{"value": 2.0}],
        "target_point": [{"label": "Målnivå 2", "value": 2.0, "year": 2020}],
    }
    no_year = spec(values=[(2015, 1.0)], target=(2.0, None), lang="sv")
    assert no_year["datasets"]["target_point"] == []  # type: ignore[index]


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.se/a.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.se/p)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://x.se/a.css";</style></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="https://x.se">x</a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="other.svg#a"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><text style="font: url(f.woff)">x</text></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/x")</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect filter="data:image/png;base64,AA"/></svg>',
    ],
)
def test_an_svg_that_would_load_something_is_refused(svg: str) -> None:
    """Any external reference in a chart is an error naming it, not a silent request."""
    with pytest.raises(ReportError, match="extern"):
        check_self_contained(svg, what="NT1", lang="sv")


def test_an_svg_with_only_internal_references_passes() -> None:
    """Internal url(#id) and href="#id" references are allowed, and so is a URL as text."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c"/></defs>'
        '<g clip-path="url(#c)"><use href="#c"/></g><text>Källa: https://kolada.se</text></svg>'
    )
    check_self_contained(svg, what="NT1", lang="sv")


def test_numbers_are_formatted_for_the_reader() -> None:
    """Swedish numbers get a decimal comma and a non-breaking space between thousands."""
    assert number(1234567.891, "sv") == "1\u00a0234\u00a0567,89"
    assert number(1234567.891, "en") == "1,234,567.89"
    assert number(-0.001, "sv") == "0"


def test_a_chart_of_invented_values_says_so() -> None:
    """On Norberg's page a chart of illustrative values carries the 'illustrativa värden' badge."""
    html = render_html(gather(load(EXAMPLES / "norberg")))
    figure = html[html.index('id="i-nt1-1"') : html.index("</figure>", html.index('id="i-nt1-1"'))]
    assert "◆</span> illustrativa värden" in figure


def test_a_compiled_spec_without_the_unit_stand_in_is_refused() -> None:
    """A compiled spec whose value axis title cannot be found is never drawn with a wrong title."""
    from goalgraph.report.charts import _with_unit

    with pytest.raises(ReportError):
        _with_unit('{"axes": [{"title": "Värde"}]}', lang="sv", unit="%", title="NT1-1")


def test_english_sdg_titles_in_the_criteria_are_marked_english() -> None:
    """A Swedish report wraps the UN's English target titles in lang="en"; English does not."""
    swedish = render_html(gather(load(EXAMPLES / "vetlanda"), lang="sv"))
    reached = re.findall(r'<span class="reached">((?:(?!</td>).)*)', swedish, re.S)
    cited = [
        c for cell in reached for c in re.findall(r'(<span lang="en">)?\d+\.\w+ By 2030', cell)
    ]
    assert cited and all(cited)
    english = render_html(gather(load(EXAMPLES / "vetlanda"), lang="en"))
    assert '<span lang="en">4.1 ' not in english and "4.1 By 2030" in english
