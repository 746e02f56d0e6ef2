"""`goalgraph kolada fetch` and `goalgraph kolada search` end to end against a local Kolada."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

import kolada_server as ks
from goalgraph import load, validate
from goalgraph.cli import app

NORBERG = Path(__file__).parent.parent / "examples" / "norberg"
NT1_1_TITLE = "Elever i åk. 9 som är behöriga till yrkesprogram, hemkommun, andel (%)"
runner = CliRunner()


@pytest.fixture(autouse=True)
def no_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every cache of these tests out of the user's cache folder."""
    monkeypatch.setenv("GOALGRAPH_KOLADA_CACHE", str(tmp_path / "default-cache"))
    monkeypatch.delenv("GOALGRAPH_KOLADA_URL", raising=False)


def _fetch(server: HTTPServer, tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    target = tmp_path / "observations.ttl"
    result = runner.invoke(
        app,
        [
            "kolada",
            "fetch",
            str(NORBERG),
            "-o",
            str(target),
            "--base-url",
            ks.base(server),
            "--cache-dir",
            str(tmp_path / "cache"),
            *args,
        ],
    )
    return result.exit_code, result.output, target


def test_fetch_writes_observations_that_validate_with_the_example(
    server: HTTPServer, tmp_path: Path
) -> None:
    """fetch on examples/norberg writes NT1-1's values; with the example they add no finding."""
    ks.serve_norberg(server)
    code, output, target = _fetch(server, tmp_path, "--years", "2015-2023")
    assert code == 0, output
    assert "25" in output and str(target) in output and "Källa: Kolada" in output
    text = target.read_text(encoding="utf-8")
    assert text.count("a gg:Observation") == 25
    before = validate(load(NORBERG))
    after = validate(load(NORBERG, target))
    assert len(after.results) == len(before.results)
    assert not [r for r in after.results if ".kolada." in str(r.focus_node)]


def test_validate_command_accepts_the_written_file(server: HTTPServer, tmp_path: Path) -> None:
    """`goalgraph validate` on the example plus the observations reports as on the example alone."""
    ks.serve_norberg(server)
    code, output, target = _fetch(server, tmp_path, "--years", "2015-2023")
    assert code == 0, output
    alone = runner.invoke(app, ["validate", str(NORBERG), "--format", "json", "--fail-on", "never"])
    both = runner.invoke(
        app, ["validate", str(NORBERG), str(target), "--format", "json", "--fail-on", "never"]
    )
    assert both.exit_code == alone.exit_code == 0
    assert len(json.loads(both.output)["results"]) == len(json.loads(alone.output)["results"])


def test_a_second_fetch_works_offline_and_refresh_needs_the_network(tmp_path: Path) -> None:
    """With the server stopped, fetch reads the cache; --refresh then fails and writes nothing."""
    own = ks.start()
    ks.serve_norberg(own)
    code, output, target = _fetch(own, tmp_path, "--years", "2015-2023")
    assert code == 0, output
    first = target.read_text(encoding="utf-8")
    target.unlink()
    own.stop()
    code, output, target = _fetch(own, tmp_path, "--years", "2015-2023")
    assert code == 0, output
    assert target.read_text(encoding="utf-8") == first
    code, output, target = _fetch(own, tmp_path, "--years", "2015-2023", "--refresh")
    assert code == 2 and "kunde inte nås" in output and "Traceback" not in output
    assert target.read_text(encoding="utf-8") == first


def test_refresh_asks_the_server_again(server: HTTPServer, tmp_path: Path) -> None:
    """--refresh sends every request again although the answers are cached."""
    ks.serve_norberg(server)
    assert _fetch(server, tmp_path, "--years", "2015-2023")[0] == 0
    assert _fetch(server, tmp_path, "--years", "2015-2023")[0] == 0
    assert len(server.log) == 4
    assert _fetch(server, tmp_path, "--years", "2015-2023", "--refresh")[0] == 0
    assert len(server.log) == 8


@pytest.mark.parametrize("years", ["2025-2015", "last year", "15"])
def test_bad_years_are_a_usage_error(server: HTTPServer, tmp_path: Path, years: str) -> None:
    """A malformed --years exits 2 naming the option, before any request."""
    code, output, target = _fetch(server, tmp_path, "--years", years)
    assert code == 2 and "--years" in output
    assert not target.exists() and server.log == []


def test_an_unknown_kommun_exits_2_and_writes_nothing(server: HTTPServer, tmp_path: Path) -> None:
    """--kommun 9999 exits 2 with a message naming the code; no file is written."""
    ks.serve(server, "/municipality", "municipality.json")
    code, output, target = _fetch(server, tmp_path, "--kommun", "9999")
    assert code == 2 and "9999" in output and "Traceback" not in output
    assert not target.exists()


def test_a_failing_server_leaves_an_existing_file_unchanged(
    server: HTTPServer, tmp_path: Path
) -> None:
    """A fetch that fails midway (a 500 forever on page 2) keeps the old output file as it was."""
    ks.serve(server, "/municipality", "municipality.json")
    ks.serve(server, "/kpi/N15428", "kpi-N15428.json")
    ks.serve(server, ks.NORBERG_DATA, "data-N15428-1962-page1.json")
    server.expect_request(
        f"/v3{ks.NORBERG_DATA}", query_string={"page": "2", "per_page": "5000"}
    ).respond_with_data("down", status=500)
    target = tmp_path / "observations.ttl"
    target.write_text("# the old observations\n", encoding="utf-8")
    code, output, _ = _fetch(server, tmp_path, "--years", "2015-2023", "--retries", "0")
    assert code == 2 and "500" in output
    assert target.read_text(encoding="utf-8") == "# the old observations\n"


def test_an_output_in_a_missing_folder_exits_2_before_fetching(
    server: HTTPServer, tmp_path: Path
) -> None:
    """-o into a folder that does not exist is a usage error, found before any request."""
    target = str(tmp_path / "no" / "obs.ttl")
    options = ["--base-url", ks.base(server), "--cache-dir", str(tmp_path / "cache")]
    result = runner.invoke(app, ["kolada", "fetch", str(NORBERG), "-o", target, *options])
    assert result.exit_code == 2 and "finns inte" in result.output
    assert server.log == []


def test_an_unwritable_output_exits_2(server: HTTPServer, tmp_path: Path) -> None:
    """An output path that cannot be written (a folder) exits 2 before any request, no traceback."""
    ks.serve_norberg(server)
    (tmp_path / "observations.ttl").mkdir()
    code, output, _ = _fetch(server, tmp_path, "--years", "2015-2023")
    assert code == 2 and "det är en mapp" in output and "Traceback" not in output
    assert server.log == []


def test_fetch_in_english(server: HTTPServer, tmp_path: Path) -> None:
    """--lang en prints the summary in English."""
    ks.serve_norberg(server)
    target = tmp_path / "obs.ttl"
    result = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "kolada",
            "fetch",
            str(NORBERG),
            "-o",
            str(target),
            "--years",
            "2015-2023",
            "--base-url",
            ks.base(server),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert result.exit_code == 0 and "Wrote 25 observations" in result.output


# --- search ------------------------------------------------------------------------


def _serve_search(server: HTTPServer, hits: dict[str, str]) -> None:
    for title, name in hits.items():
        ks.serve(server, "/kpi", name, {"title": title, "per_page": "5000"})


def _search(server: HTTPServer, tmp_path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        [
            "kolada",
            "search",
            *args,
            "--base-url",
            ks.base(server),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    return result.exit_code, result.output


def test_search_prints_a_table_of_proposals_best_first(server: HTTPServer, tmp_path: Path) -> None:
    """search prints id, title and operating area, the best match first, and changes nothing."""
    _serve_search(server, {"behöriga till yrkesprogram": "kpi-search-yrkesprogram.json"})
    _serve_search(server, {"yrkesprogram": "kpi-search-yrkesprogram.json"})
    code, output = _search(server, tmp_path, "behöriga till yrkesprogram")
    assert code == 0, output
    assert output.index("N90001") < output.index("N90002")
    assert "Grundskola" in output and "Gymnasieskola" in output
    assert "inget har ändrats" in output


def test_search_by_a_local_id_uses_its_title(server: HTTPServer, tmp_path: Path) -> None:
    """`search NT1-1 examples/norberg` searches by NT1-1's title and leaves the data untouched."""
    _serve_search(
        server,
        {
            NT1_1_TITLE: "kpi-empty.json",
            "Elever i åk. 9 som är behöriga till yrkesprogram": "kpi-empty.json",
            "yrkesprogram": "kpi-search-yrkesprogram.json",
        },
    )
    before = hashlib.sha256((NORBERG / "norberg.ttl").read_bytes()).hexdigest()
    code, output = _search(server, tmp_path, "NT1-1", str(NORBERG / "norberg.ttl"), "-f", "json")
    assert code == 0, output
    rows = json.loads(output[output.index('{\n  "$schema"') :])["rows"]
    assert rows[0]["id"] == "N15428" and rows[0]["query"] == NT1_1_TITLE
    assert rows[0]["similarity"] > rows[1]["similarity"]
    assert len(server.log) == 3
    assert hashlib.sha256((NORBERG / "norberg.ttl").read_bytes()).hexdigest() == before


def test_search_with_no_hit_says_so(server: HTTPServer, tmp_path: Path) -> None:
    """A title Kolada knows nothing like prints that nothing matches."""
    _serve_search(server, {"hemlighetsfullt": "kpi-empty.json"})
    code, output = _search(server, tmp_path, "hemlighetsfullt")
    assert code == 0 and "Inga nyckeltal i Kolada matchar 'hemlighetsfullt'" in output


def test_a_blank_search_is_a_usage_error(server: HTTPServer, tmp_path: Path) -> None:
    """search '  ' exits 2 without asking Kolada."""
    code, _ = _search(server, tmp_path, "  ")
    assert code == 2 and server.log == []


def test_search_when_kolada_is_down_exits_2(server: HTTPServer, tmp_path: Path) -> None:
    """A failing Kolada during search is a one-paragraph error with exit 2, no traceback."""
    server.expect_request("/v3/kpi").respond_with_data("nope", status=404)
    code, output = _search(server, tmp_path, "yrkesprogram")
    assert code == 2 and "404" in output and "Traceback" not in output
