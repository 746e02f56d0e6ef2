"""The bad-input corpus (tests/data/bad): every case ends in a clear error or a correct finding.

Each case runs goalgraph's CLI in a subprocess; the selected cases run in parallel
threads once per session (see :func:`corpus`), and each test reports its own case.
The format and the promises checked are described in ``tests/bad_inputs.py``.
"""

from __future__ import annotations

import os
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import bad_inputs
from bad_inputs import BAD, Case, Outcome, load_cases

# The local misbehaving servers behind {server} (fixture bad_server).
pytest_plugins = ["bad_servers"]

CASES = load_cases()
#: The classes of bad input the corpus must cover, with the least number of cases each.
CLASSES = {
    "rdf": 8,
    "jsonld": 5,
    "rdfxml": 5,
    "csv": 6,
    "yaml": 8,
    "xlsx": 6,
    "files": 6,
    "limits": 6,
    "numbers": 4,
    "shapes": 8,
    "service": 6,
    "imports": 5,
    "outputs": 10,
    "endpoint": 12,
    "store": 7,
    "urls": 5,
}


@pytest.fixture(scope="module")
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Outcome, Path]]:
    """Run every selected case once, several at a time, and keep what each did."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if isinstance(item, pytest.Function)
        and item.module is request.module
        and hasattr(item, "callspec")
    ]
    server = None
    if any(case.needs_server for case in selected):
        server = request.getfixturevalue("bad_server")

    # The folders are made here, not in the pool: pytest's temporary-path factory is not
    # thread-safe, and when this fixture is a worker's first user of it (as under xdist), two
    # threads both emptying the new base folder deleted each other's case files.
    folders = {
        case.id: tmp_path_factory.mktemp(case.id.replace("/", "-"), numbered=True)
        for case in selected
    }

    def one(case: Case) -> tuple[str, tuple[Outcome, Path]]:
        folder = folders[case.id]
        return case.id, (bad_inputs.run(case, folder, server=server), folder)

    workers = max(2, min(4, os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(one, selected))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_ends_in_a_clear_answer(
    case: Case, corpus: dict[str, tuple[Outcome, Path]]
) -> None:
    """The case exits as expected, names what it should, and leaves no trace or request."""
    if case.skip_if == "root" and bad_inputs.is_root():
        pytest.skip("file modes do not stop root")
    outcome, folder = corpus[case.id]
    broken = bad_inputs.violations(case, outcome, folder=folder)
    took = f"--- output (after {outcome.seconds:.1f} s) ---"
    assert not broken, "\n".join([*broken, took, outcome.output])


def test_corpus_covers_every_class_of_bad_input() -> None:
    """Every class of bad input has its folder with at least its share of cases."""
    counts = {name: sum(c.folder == name for c in CASES) for name in CLASSES}
    short = {name: n for name, n in counts.items() if n < CLASSES[name]}
    assert not short, f"classes with too few cases: {short}"


def test_every_case_file_is_used_by_a_case() -> None:
    """No file in a corpus folder is left without a case naming it."""
    used = {(c.folder, name) for c in CASES for name in [c.file, *c.extra] if name}
    unused = [
        str(path.relative_to(BAD))
        for path in sorted(BAD.glob("*/*"))
        if path.name != "cases.toml" and (path.parent.name, path.name) not in used
    ]
    assert not unused, f"files no case uses: {unused}"


def test_a_malformed_case_is_refused(tmp_path: Path) -> None:
    """A case with an unknown key, a missing file or a contradictory outcome cannot load."""
    folder = tmp_path / "broken"
    folder.mkdir()
    base = 'name = "x"\ncommand = ["info"]\n'
    bad = {
        "unknown key": base + 'exit = 2\noutcome = "error"\ncolour = "red"\n',
        "missing file": base + 'exit = 2\noutcome = "error"\nfile = "absent.ttl"\n',
        "contradiction": base + 'exit = 0\noutcome = "error"\n',
        "no generator": base + 'exit = 2\noutcome = "error"\ngenerate = "nothing_at_all"\n',
    }
    for why, text in bad.items():
        (folder / "cases.toml").write_text("[[case]]\n" + text, encoding="utf-8")
        tomllib.loads((folder / "cases.toml").read_text(encoding="utf-8"))
        with pytest.raises(ValueError):
            load_cases(tmp_path)
            pytest.fail(f"a case with a {why} was accepted")


def test_the_harness_catches_a_request_a_traceback_and_a_hang(tmp_path: Path) -> None:
    """A run that reaches the network, crashes or hangs breaks the case's promises."""
    folder = tmp_path / "data" / "bad" / "probe"
    folder.mkdir(parents=True)
    probe = Case(
        folder="probe",
        name="probe",
        command=["query", "goal-trace", "--endpoint", "http://example.invalid/sparql"],
        exit=2,
        outcome="error",
        timeout=20,
    )
    outcome = bad_inputs.run(probe, tmp_path)
    assert outcome.requests, "the canary saw no request from a remote endpoint query"
    assert any("network" in v for v in bad_inputs.violations(probe, outcome, folder=tmp_path))
    crash = Outcome(1, "Traceback (most recent call last):", [], ["out.ttl"], ["x.tmp"], [])
    hang = Outcome(None, "", ["a.ttl"], [], [], [])
    words = "\n".join(
        bad_inputs.violations(probe, crash, folder=tmp_path)
        + bad_inputs.violations(probe, hang, folder=tmp_path)
    )
    for promise in ("exit code 1", "traceback", "written", "temporary", "killed", "changed"):
        assert promise in words


def test_the_harness_catches_a_place_worded_in_the_other_language(tmp_path: Path) -> None:
    """A Swedish run that prints "line 3" (or an English one "rad 3") breaks the case."""
    runs = [
        ("sv", "a.ttl, rad 3: Syntaxfel i Turtle: Parser error at line 3 column 1: x", True),
        ("sv", "a.ttl, rad 3, kolumn 1: Syntaxfel i Turtle: Unexpected end.", False),
        ("en", "a.ttl, rad 3: Syntax error in Turtle: Unexpected end.", True),
        ("en", "a.ttl, line 3, column 1: Syntax error in Turtle: Unexpected end.", False),
    ]
    for lang, output, caught in runs:
        case = Case(folder="p", name="p", command=["info"], exit=2, outcome="error", lang=lang)
        found = bad_inputs.violations(case, Outcome(2, output, [], [], [], []), folder=tmp_path)
        assert any("other language" in v for v in found) is caught, (lang, output)
