"""The built wheel carries ontology/, shapes/ and package data, and works outside the checkout."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "vetlanda" / "vetlanda.ttl"

CHECK_INSTALLED = textwrap.dedent(
    """
    import sys
    import sysconfig
    from pathlib import Path

    import goalgraph
    from goalgraph import resources
    from goalgraph.i18n import message
    from goalgraph.loading import parse_file
    from goalgraph.vocabulary import render

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(goalgraph.__file__).resolve().parent
    assert package.is_relative_to(site), (package, site)
    for folder in (resources.ontology_dir(), resources.shapes_dir()):
        assert folder.resolve().is_relative_to(site), (folder, site)
    graph = goalgraph.load()
    goals = graph.select("SELECT (COUNT(?g) AS ?n) WHERE { ?g a sdgo:Goal }")
    assert goals[0]["n"].value == "17", goals
    assert resources.shapes_dir().is_dir()
    shapes = sorted(resources.shapes_dir().glob("*.ttl"))
    for path in shapes:
        assert parse_file(path), path
    for check in sorted((resources.ontology_dir() / "checks").glob("*.rq")):
        assert graph.select(check.read_text(encoding="utf-8"), graphs=("vocabulary",)) == []
    assert render().startswith("# goalgraph vocabulary")
    assert message("load.not_found", lang="en", path="x").startswith("File not found")
    report = goalgraph.validate(goalgraph.load(sys.argv[1]))
    assert not report.conforms and len(report.results) > 0, report
    assert report.engine == "fast", report.engine
    print("ok", len(shapes))
    """
)


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel, offline, from the source tree."""
    out = tmp_path_factory.mktemp("dist")
    _run(
        sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT, cwd=ROOT
    )
    (built,) = out.glob("goalgraph-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_ontology_reference_data_shapes_and_package_data(wheel: Path) -> None:
    """The wheel holds ontology, reference data, checks, shapes, messages and templates."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for required in (
        "goalgraph/ontology/goalgraph.ttl",
        "goalgraph/ontology/reference/kommuner.ttl",
        "goalgraph/ontology/reference/un-sdg/sdg-kos-goals-targets-indicators.ttl",
        "goalgraph/ontology/reference/un-sdg/README.md",
        "goalgraph/ontology/checks/undefined-term-violation.rq",
        "goalgraph/messages/load.toml",
        "goalgraph/templates/vocabulary.md.j2",
        "goalgraph/py.typed",
    ):
        assert required in names
    shipped = {n for n in names if n.startswith("goalgraph/shapes/")}
    expected = {f"goalgraph/shapes/{p.name}" for p in (ROOT / "shapes").glob("*.ttl")}
    assert expected <= shipped


@pytest.mark.slow
def test_wheel_works_from_a_fresh_virtual_environment(wheel: Path, tmp_path: Path) -> None:
    """Installed without the checkout, goalgraph finds its files in site-packages and loads them."""
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    # The dependencies come from the running interpreter's site-packages (which may itself be a
    # virtualenv); a .pth line adds those folders after the venv's own, without running the
    # editable install's .pth hook there, so goalgraph can only come from the wheel.
    venv_site = _run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    ).stdout.strip()
    # site.getsitepackages() includes the base interpreter's folders when the running
    # environment is a venv with --system-site-packages.
    parent = {
        *site.getsitepackages(),
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
    }
    (Path(venv_site) / "parent-dependencies.pth").write_text("\n".join(sorted(parent)) + "\n")
    _run(
        python,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        "--ignore-installed",
        wheel,
        cwd=tmp_path,
    )
    script = tmp_path / "check_installed.py"
    script.write_text(CHECK_INSTALLED, encoding="utf-8")
    result = _run(python, script, EXAMPLE, cwd=tmp_path)
    assert result.stdout.startswith("ok")
    help_text = _run(venv / "bin" / "goalgraph", "--help", cwd=tmp_path).stdout
    assert "vocabulary" in help_text
    validated = _run(
        venv / "bin" / "goalgraph", "validate", EXAMPLE, "--fail-on", "never", cwd=tmp_path
    ).stdout
    assert "Vetlanda" in validated
