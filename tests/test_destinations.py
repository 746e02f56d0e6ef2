"""Outputs are checked before any work: never over an input or a data file in an input folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalgraph.destinations import check_outputs
from goalgraph.errors import OutputError
from support import run_cli

NORBERG = Path(__file__).parent.parent / "examples" / "norberg"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the Norberg example folder (its Turtle, workbook and one CSV file)."""
    copy = tmp_path / "norberg"
    (copy / "csv").mkdir(parents=True)
    for name in ("norberg.ttl", "norberg.xlsx", "csv/mal.csv"):
        (copy / name).write_bytes((NORBERG / name).read_bytes())
    return copy


def test_a_new_file_beside_the_inputs_is_accepted(folder: Path) -> None:
    """A new output file, even inside an input folder, is fine."""
    check_outputs([folder / "status.ttl", folder.parent / "r.html"], inputs=[folder])


@pytest.mark.parametrize("name", ["norberg.ttl", "norberg.xlsx", "csv/mal.csv"])
def test_a_data_file_inside_an_input_folder_is_refused(folder: Path, name: str) -> None:
    """An existing RDF or spreadsheet file inside an input folder is never an output."""
    with pytest.raises(OutputError, match=name.split("/")[-1]):
        check_outputs([folder / name], inputs=[folder])


def test_two_outputs_naming_one_file_and_a_missing_folder_are_refused(tmp_path: Path) -> None:
    """Two outputs with one name, or an output in a folder that does not exist, are errors."""
    with pytest.raises(OutputError):
        check_outputs([tmp_path / "a.html", tmp_path / "a.html"], inputs=[])
    with pytest.raises(OutputError, match="finns inte"):
        check_outputs([tmp_path / "no" / "a.html"], inputs=[])


def test_status_never_writes_its_results_over_an_input(folder: Path) -> None:
    """goalgraph status -o naming the folder's Turtle file exits 2 and leaves it as it was."""
    before = (folder / "norberg.ttl").read_bytes()
    result = run_cli("status", str(folder), "-o", str(folder / "norberg.ttl"))
    assert result.returncode == 2 and "norberg.ttl" in result.stderr
    assert "Traceback" not in result.stderr
    assert (folder / "norberg.ttl").read_bytes() == before


def test_kolada_fetch_refuses_an_input_as_output_before_any_request(folder: Path) -> None:
    """goalgraph kolada fetch -o over an input fails on the output, not on the (closed) server."""
    before = (folder / "norberg.ttl").read_bytes()
    result = run_cli(
        "kolada", "fetch", str(folder), "-o", str(folder / "norberg.ttl"),
        "--base-url", "http://127.0.0.1:9/v3", "--cache-dir", str(folder.parent / "cache"),
    )  # fmt: skip
    assert result.returncode == 2 and "indatafil" in result.stderr
    assert "127.0.0.1" not in result.stderr
    assert (folder / "norberg.ttl").read_bytes() == before
