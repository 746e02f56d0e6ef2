"""``goalgraph report`` and the Excel-friendly CSV of every command that writes CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import typer.main
from typer.testing import CliRunner

from goalgraph.cli import app
from goalgraph.cli.output import CSV_FORMATS, csv_bytes, echo_csv
from support import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
VETLANDA = str(EXAMPLES / "vetlanda")
runner = CliRunner()


def test_report_command_is_registered_with_help() -> None:
    """The report command exists and documents its options."""
    command = typer.main.get_command(app).commands["report"]  # type: ignore[attr-defined]
    assert command.help
    options = {o for p in command.params for o in getattr(p, "opts", [])}
    assert {"-o", "--kommun", "--lang", "--year", "--xlsx"} <= options


def test_report_writes_the_page_and_the_workbook(tmp_path: Path) -> None:
    """One run writes rapport.html and rapport.xlsx and says so; no temporary file is left."""
    html, xlsx = tmp_path / "rapport.html", tmp_path / "rapport.xlsx"
    result = runner.invoke(
        app, ["report", VETLANDA, "-o", str(html), "--kommun", "0685", "--xlsx", str(xlsx)]
    )
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Vetlanda kommun" in text
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Brister"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html", "rapport.xlsx"]
    assert "Skrev" in result.output


def test_report_in_english(tmp_path: Path) -> None:
    """--lang en writes an English page."""
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["report", VETLANDA, "-o", str(html), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' in html.read_text(encoding="utf-8")


def test_the_global_language_option_applies_to_the_report(tmp_path: Path) -> None:
    """goalgraph --lang en report … writes an English page, as --lang after the command does."""
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["--lang", "en", "report", VETLANDA, "-o", str(html)])
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' in html.read_text(encoding="utf-8")
    assert "Wrote" in result.output


def test_an_unknown_kommun_exits_2_naming_it(tmp_path: Path) -> None:
    """An unknown --kommun is a one-paragraph error naming the code; nothing is written."""
    html = tmp_path / "r.html"
    result = run_cli("report", VETLANDA, "-o", str(html), "--kommun", "9999")
    assert result.returncode == 2
    assert "9999" in result.stderr and "0685" in result.stderr
    assert "Traceback" not in result.stderr
    assert not html.exists()


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    """Writing the report over one of its inputs is refused and the input stays as it was."""
    source = tmp_path / "vetlanda.ttl"
    source.write_bytes((EXAMPLES / "vetlanda" / "vetlanda.ttl").read_bytes())
    before = source.read_bytes()
    for args in (["-o", str(source)], ["-o", str(tmp_path / "r.html"), "--xlsx", str(source)]):
        result = run_cli("report", str(source), *args)
        assert result.returncode == 2
        assert str(source) in result.stderr
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vetlanda.ttl"]


def test_a_data_file_inside_an_input_folder_is_never_overwritten(tmp_path: Path) -> None:
    """An input folder's Turtle file or workbook named as an output is refused, as is the file."""
    folder = tmp_path / "norberg"
    (folder / "csv").mkdir(parents=True)
    for name in ("norberg.ttl", "norberg.xlsx", "csv/mal.csv"):
        (folder / name).write_bytes((EXAMPLES / "norberg" / name).read_bytes())
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    for target in ("norberg.ttl", "norberg.xlsx", "csv/mal.csv"):
        result = run_cli("report", str(folder), "-o", str(folder / target))
        assert result.returncode == 2, target
        assert target.split("/")[-1] in result.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    ok = run_cli("report", str(folder), "-o", str(folder / "rapport.html"))
    assert ok.returncode == 0 and (folder / "rapport.html").is_file()


def test_the_same_file_for_page_and_workbook_is_refused(tmp_path: Path) -> None:
    """-o and --xlsx naming one file is an error."""
    same = tmp_path / "r.html"
    result = runner.invoke(app, ["report", VETLANDA, "-o", str(same), "--xlsx", str(same)])
    assert result.exit_code == 2 and not same.exists()


def test_a_missing_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    """An output in a folder that does not exist is an error naming the folder."""
    result = runner.invoke(app, ["report", VETLANDA, "-o", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 2
    assert "finns inte" in result.output


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    """--lang accepts only sv and en."""
    result = runner.invoke(
        app, ["report", VETLANDA, "-o", str(tmp_path / "r.html"), "--lang", "de"]
    )
    assert result.exit_code == 2


# --- CSV for Excel ---------------------------------------------------------------------------


def test_csv_for_excel_has_bom_semicolons_decimal_comma_and_crlf() -> None:
    """csv-excel bytes open in Swedish Excel: BOM, ';', decimal comma, CRLF; csv stays plain."""
    frame = pd.DataFrame({"nämnd": ["Socialnämnden"], "andel": [0.25], "text": ["a;b"]})
    excel = csv_bytes(frame, excel=True)
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel.decode("utf-8-sig") == 'nämnd;andel;text\r\nSocialnämnden;0,25;"a;b"\r\n'
    assert csv_bytes(frame) == "nämnd,andel,text\nSocialnämnden,0.25,a;b\n".encode()


def test_echo_csv_refuses_an_unknown_flavour() -> None:
    """Only csv and csv-excel are CSV formats."""
    assert CSV_FORMATS == ("csv", "csv-excel")
    with pytest.raises(ValueError, match="tsv"):
        echo_csv(pd.DataFrame(), "tsv")


@pytest.mark.parametrize(
    "args",
    [
        ["coverage", "--by", "rus", "--show", "gaps", VETLANDA],
        ["coverage", "--by", "sdg", VETLANDA],
        ["grid", "--kommun", "0685", VETLANDA],
        ["trace", "KFN-1", VETLANDA],
        ["impact", "A-LEVA-1", VETLANDA],
        ["structure", VETLANDA],
        ["query", "goals-per-namnd", VETLANDA],
        ["queries"],
        ["validate", "--fail-on", "never", VETLANDA],
    ],
    ids=lambda a: a[0],
)
def test_every_csv_command_offers_csv_for_excel(args: list[str]) -> None:
    """Each command that writes CSV also writes csv-excel, with the same rows."""
    plain = runner.invoke(app, [*args, "--format", "csv"])
    excel = runner.invoke(app, [*args, "--format", "csv-excel"])
    assert plain.exit_code == excel.exit_code == 0, excel.output
    assert excel.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(plain.stdout_bytes.decode("utf-8"))))
    excel_rows = list(
        csv.reader(io.StringIO(excel.stdout_bytes.decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert len(rows) == len(excel_rows) > 1
    assert rows[0] == excel_rows[0]


def test_validate_csv_has_one_row_per_finding() -> None:
    """validate --format csv lists every finding with its severity and message."""
    result = runner.invoke(app, ["validate", "--format", "csv", "--fail-on", "never", VETLANDA])
    frame = pd.read_csv(io.StringIO(result.stdout))
    problems = frame[frame["severity"] != "info"]
    assert len(problems) == 5
    assert set(problems["severity"]) == {"violation", "warning"}
    assert problems["message"].str.contains("Nämndmålet").all()
    # the rest: the source's ambiguities recorded in the data, one row per note
    notes = frame[frame["severity"] == "info"]
    assert notes["message"].str.startswith("Källdokumentet kan vara otydligt här: ").all()
    assert len(notes) > 0


def test_an_unknown_csv_format_is_refused() -> None:
    """--format must be one the command knows."""
    result = runner.invoke(app, ["grid", VETLANDA, "--format", "csv-libreoffice"])
    assert result.exit_code == 2
    assert "csv-excel" in result.output
