"""The report in a real headless Chromium: no request, no console error, content, screenshot, PDF.

Chromium is started once for the module on 127.0.0.1 with a temporary profile
(see ``browser.py``); ``bash .ci/run`` installs Debian's ``chromium`` when it is
missing. Without Chromium these tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import io
import math
import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from browser import Browser, PageLoad, chromium_path
from goalgraph import load
from goalgraph.report import Report
from goalgraph.report.output import write_report

EXAMPLES = Path(__file__).parent.parent / "examples"
KOLADA = Path(__file__).parent / "data" / "report" / "norberg-kolada.ttl"
NAMND_CLASSES = "gg:Committee gg:WorkingCommittee"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole module."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing; .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (bash .ci/run installs it)")
    started = Browser(executable)
    yield started
    started.close()


@pytest.fixture(scope="module", params=["vetlanda", "vaggeryd", "norberg"])
def opened(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Report, PageLoad]:
    """One example's report written to a file and opened at desktop width."""
    name = request.param
    path = tmp_path_factory.mktemp(name) / "rapport.html"
    # Norberg also gets values as `goalgraph kolada fetch` writes them, so its page credits Kolada.
    sources = [EXAMPLES / name, *([KOLADA] if name == "norberg" else [])]
    report = write_report(load(*sources), path, inputs=sources)
    return name, report, browser.load(path, width=1280, height=900)


def test_the_report_makes_no_request_and_logs_no_error(
    opened: tuple[str, Report, PageLoad],
) -> None:
    """Opening the report loads only the file itself; the console stays empty."""
    _, _, page = opened
    assert page.requests == [page.url]
    assert page.other_requests == []
    assert page.console == [] and page.errors == []


def test_every_kf_goal_nämnd_and_the_attribution_are_in_the_dom(
    opened: tuple[str, Report, PageLoad], browser: Browser
) -> None:
    """The rendered text names every KF goal and nämnd of the data (by its Swedish label) and
    credits the sources."""
    name, report, page = opened
    text = browser.evaluate(page, "document.body.innerText")
    graph = load(EXAMPLES / name)  # the example's own goals and nämnder

    def labels(classes: str) -> set[str]:
        rows = graph.select(
            "SELECT ?l WHERE { GRAPH <https://w3id.org/goalgraph/graph/data> "
            f"{{ ?x a ?c ; rdfs:label ?l }} VALUES ?c {{ {classes} }} "
            'FILTER(LANG(?l) IN ("sv", "")) }'
        )
        return {r["l"].value for r in rows}

    goals, namnder = labels("gg:CouncilGoal"), labels(NAMND_CLASSES)
    assert goals and namnder
    assert {g for g in goals if g not in text} == set()
    assert {n for n in namnder if n not in text} == set()
    assert "Agenda 2030-data: FN:s SDG Knowledge Organization System" in text
    kolada = any(c.from_kolada for s in report.sections for c in s.indicators)
    assert kolada == (name == "norberg")
    if kolada:
        assert "Källa: Kolada" in text and "egen bearbetning av data från Kolada" in text


def test_the_page_fits_a_desktop_screen_and_screenshots(
    opened: tuple[str, Report, PageLoad], browser: Browser
) -> None:
    """At 1280 px nothing overflows sideways, and the screenshot is a real 1280 px wide PNG."""
    _, _, page = opened
    width = browser.evaluate(page, "document.documentElement.scrollWidth")
    assert width <= 1280
    png = browser.screenshot(page)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", png[16:24])
    assert (png_width, png_height) == (1280, 900)
    assert len(png) > 30_000  # a blank or near-blank page compresses to a few kB


def test_on_a_narrow_screen_tables_scroll_and_criteria_are_named(
    browser: Browser, tmp_path: Path
) -> None:
    """At 600 px the page does not widen; each criterion cell says which criterion it is."""
    path = tmp_path / "rapport.html"
    write_report(load(EXAMPLES / "vetlanda"), path)
    page = browser.load(path, width=600, height=900)
    assert browser.evaluate(page, "document.documentElement.scrollWidth") <= 600
    label = browser.evaluate(
        page, "getComputedStyle(document.querySelector('.criteria .cell-label')).display"
    )
    assert label == "inline"
    wide = browser.load(path, width=1280, height=900)
    label = browser.evaluate(
        wide, "getComputedStyle(document.querySelector('.criteria .cell-label')).display"
    )
    assert label == "none"


def test_print_hides_navigation_and_gives_a4_pages(
    opened: tuple[str, Report, PageLoad], browser: Browser
) -> None:
    """In print the table of contents is hidden; the PDF has a plausible number of A4 pages."""
    _, report, page = opened
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=page.session)
    display = browser.evaluate(page, "getComputedStyle(document.querySelector('nav')).display")
    browser.call("Emulation.setEmulatedMedia", {"media": ""}, session=page.session)
    assert display == "none"
    pdf = pypdf.PdfReader(io.BytesIO(browser.pdf(page)))
    pages = len(pdf.pages)
    # Sections start on new pages: at least summary+overview, tree, coverage, indicators,
    # findings and marks. Beyond that about two charts, two goals, eight notes or findings and
    # twenty bare nyckeltal fill a page; one chart per page would exceed the bound.
    section = report.sections[0]
    charts = sum(1 for c in section.indicators if c.values)
    bare = len(section.indicators) - charts
    goals = sum(len(o.goals) for o in section.organisations)
    upper = (
        10 + math.ceil(charts / 2) + goals // 2 + (len(section.notes) + section.finding_count) // 8
    )
    assert 6 <= pages <= upper + bare // 20
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "Målstyrningsrapport" in pdf.pages[0].extract_text()


# --- the harness can fail ------------------------------------------------------------------


def test_the_harness_catches_a_request_and_a_console_error(
    browser: Browser, tmp_path: Path
) -> None:
    """A page that loads an image and logs an error is caught: the checks above can fail."""
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        '<!DOCTYPE html><html><body><img src="https://example.invalid/x.png">'
        '<script>console.error("broken")</script></body></html>',
        encoding="utf-8",
    )
    page = browser.load(page_file)
    assert "https://example.invalid/x.png" in page.other_requests
    assert any("broken" in line for line in page.console)


def test_the_harness_sees_what_the_report_policy_blocks(browser: Browser, tmp_path: Path) -> None:
    """Under the report's Content-Security-Policy an external image is blocked and logged."""
    page_file = tmp_path / "csp.html"
    page_file.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        'content="default-src \'none\'"></head><body><img src="http://example.invalid/a.png">'
        "</body></html>",
        encoding="utf-8",
    )
    page = browser.load(page_file)
    assert page.console, "a blocked request is reported in the console"
