"""Every command's output is checked before any work and written whole or not at all.

An output that is an input, an existing folder, a missing or read-only folder, a full
disk: a clear error (exit 2), the inputs unchanged, nothing half-written, no ``*.tmp``.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goalgraph.cli import app
from goalgraph.destinations import atomic_file, atomic_folder, check_outputs, write_atomically
from goalgraph.errors import OutputError

NORBERG = Path(__file__).parent.parent / "examples" / "norberg"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A working folder with copies of Norberg's Turtle file and workbook."""
    for name in ("norberg.ttl", "norberg.xlsx"):
        (tmp_path / name).write_bytes((NORBERG / name).read_bytes())
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--lang", "en", *args])
    return result.exit_code, result.output


#: (command with {input} and {output} placeholders, the input file's name)
COMMANDS = [
    (["convert", "{input}", "-o", "{output}"], "norberg.ttl"),
    (["import", "{input}", "-o", "{output}"], "norberg.xlsx"),
    (["infer", "{input}", "-o", "{output}"], "norberg.ttl"),
    (["export", "{input}", "--yaml", "{output}"], "norberg.ttl"),
    (["export", "{input}", "--xlsx", "{output}"], "norberg.xlsx"),
    (["status", "{input}", "-o", "{output}"], "norberg.ttl"),
    (["report", "{input}", "-o", "{output}"], "norberg.ttl"),
]
IDS = [f"{c[0]}-{'-'.join(a for a in c[1:] if a.startswith('--'))}" for c, _ in COMMANDS]


def _args(command: list[str], *, input: Path, output: Path | str) -> list[str]:
    return [part.format(input=input, output=output) for part in command]


@pytest.mark.parametrize(("command", "name"), COMMANDS, ids=IDS)
def test_an_output_that_is_the_input_is_refused(
    folder: Path, command: list[str], name: str
) -> None:
    """`import book.xlsx -o book.xlsx` and its kin: exit 2, the input unchanged."""
    before = snapshot(folder)
    code, output = cli(*_args(command, input=folder / name, output=folder / name))
    assert code == 2, output
    assert name in output and "input" in output
    assert snapshot(folder) == before


@pytest.mark.parametrize(("command", "name"), COMMANDS, ids=IDS)
def test_an_output_that_is_a_folder_or_in_a_missing_folder_is_refused(
    folder: Path, command: list[str], name: str
) -> None:
    """An existing folder or a folder that does not exist as output: exit 2, nothing written."""
    (folder / "existing").mkdir()
    before = snapshot(folder)
    for target, words in ((folder / "existing", "folder"), (folder / "no" / "x", "not exist")):
        code, output = cli(*_args(command, input=folder / name, output=target))
        assert code == 2, output
        assert words in output and "Traceback" not in output
    assert snapshot(folder) == before
    assert list((folder / "existing").iterdir()) == []


def test_the_vocabulary_and_the_template_refuse_a_folder_too(folder: Path) -> None:
    """Commands without inputs check their output as well."""
    for command in (["vocabulary", "-o", str(folder)], ["template", "-o", str(folder)]):
        code, output = cli(*command)
        assert code == 2 and "folder" in output, output


def test_a_csv_export_refuses_the_input_folder_and_a_file(folder: Path) -> None:
    """--csv into the folder holding the input, or onto a file: exit 2, nothing written."""
    before = snapshot(folder)
    code, output = cli("export", str(folder / "norberg.xlsx"), "--csv", str(folder))
    assert code == 2 and "norberg.xlsx" in output, output
    code, output = cli("export", str(folder / "norberg.ttl"), "--csv", str(folder / "norberg.ttl"))
    assert code == 2 and "not a folder" in output, output
    assert snapshot(folder) == before


def test_a_csv_export_to_a_new_folder_is_written(folder: Path) -> None:
    """The passing case: a new folder is created and filled, no temporary files."""
    code, output = cli("export", str(folder / "norberg.ttl"), "--csv", str(folder / "out"))
    assert code == 0, output
    names = sorted(p.name for p in (folder / "out").iterdir())
    assert names and all(n.endswith(".csv") for n in names)


def test_an_output_to_a_full_device_is_a_clear_error(folder: Path) -> None:
    """-o /dev/full (ENOSPC on write): exit 2 naming it, /dev/full still a device."""
    code, output = cli("convert", str(folder / "norberg.ttl"), "-o", "/dev/full")
    assert code == 2 and "/dev/full" in output, output
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_an_output_to_dev_null_is_written_through(folder: Path) -> None:
    """A device is written straight into, never replaced by a renamed file."""
    code, output = cli("convert", str(folder / "norberg.ttl"), "-o", os.devnull)
    assert code == 0, output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_output_where_nothing_may_be_created_is_a_clear_error(folder: Path) -> None:
    """/proc refuses new files even to root: exit 2 naming the path, no traceback."""
    code, output = cli("convert", str(folder / "norberg.ttl"), "-o", "/proc/out.ttl")
    assert code == 2 and "/proc/out.ttl" in output and "Traceback" not in output


@pytest.mark.skipif(IS_ROOT, reason="file modes do not stop root")
def test_an_output_in_a_read_only_folder_is_refused_before_work(folder: Path) -> None:
    """A folder without write permission: refused before reading the input."""
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, output = cli("convert", str(folder / "norberg.ttl"), "-o", str(locked / "x.ttl"))
        assert code == 2 and "read-only" in output, output
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


_FULL_DISK = (
    "import resource, runpy, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
    "sys.argv = ['goalgraph', *sys.argv[1:]]\n"
    "runpy.run_module('goalgraph', run_name='__main__', alter_sys=True)\n"
)


def test_a_write_cut_short_by_the_disk_leaves_the_old_file_and_no_tmp(folder: Path) -> None:
    """A file-size limit (a full disk in miniature) mid-write: exit 2, old output intact."""
    old = folder / "out.ttl"
    old.write_text("# the previous output\n", encoding="utf-8")
    before = snapshot(folder)
    result = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, "convert", str(folder / "norberg.ttl"), "-o", str(old)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GOALGRAPH_LANG": "en"},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "out.ttl" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before


def test_atomic_file_removes_the_temporary_file_when_the_block_fails(tmp_path: Path) -> None:
    """An exception inside the block: the old content stays, no temporary file is left."""
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("saving failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_write_atomically_over_a_folder_fails_cleanly(tmp_path: Path) -> None:
    """Replacing a folder fails with OutputError naming it, and leaves no temporary file."""
    (tmp_path / "out.ttl").mkdir()
    with pytest.raises(OutputError, match=r"out\.ttl"):
        write_atomically(tmp_path / "out.ttl", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_write_atomically_keeps_a_link_and_the_file_mode(tmp_path: Path) -> None:
    """A symbolic link keeps pointing to its target (now new); an existing mode is kept."""
    real = tmp_path / "real.ttl"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    write_atomically(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_pipe_nobody_reads_fails_at_once(tmp_path: Path) -> None:
    """A named pipe without a reader as output: OutputError, not a hang."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OutputError, match="pipe"):
        write_atomically(pipe, "text")


def test_check_outputs_refuses_a_folder_holding_an_input(tmp_path: Path) -> None:
    """A folder output may not be an input folder or hold an input; a new one is fine."""
    data = tmp_path / "data.ttl"
    data.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match=r"data\.ttl"):
        check_outputs([], inputs=[data], folders=[tmp_path])
    with pytest.raises(OutputError):
        check_outputs([], inputs=[tmp_path], folders=[tmp_path])
    check_outputs([], inputs=[data], folders=[tmp_path / "new" / "csv"])


@settings(max_examples=50, deadline=None)
@given(payload=st.binary(max_size=2000) | st.text(max_size=500))
def test_write_atomically_writes_exactly_what_it_is_given(
    tmp_path_factory: pytest.TempPathFactory, payload: bytes | str
) -> None:
    """Whatever the content, the file holds exactly it and nothing else is left beside it."""
    folder = tmp_path_factory.mktemp("atomic")
    target = folder / "out"
    write_atomically(target, payload)
    expected = payload.encode("utf-8") if isinstance(payload, str) else payload
    assert target.read_bytes() == expected
    assert [p.name for p in folder.iterdir()] == ["out"]


def test_a_csv_export_cut_short_leaves_the_folder_as_it_was(folder: Path) -> None:
    """A write failing in the middle of a folder of CSV files: none of them is replaced."""
    target = folder / "csv"
    target.mkdir()
    (target / "mal.csv").write_text("the previous export\n", encoding="utf-8")
    before = snapshot(folder)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _FULL_DISK.replace("20000", "3000"),
            "export",
            str(folder / "norberg.ttl"),
            "--csv",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GOALGRAPH_LANG": "en"},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "csv" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["csv", "norberg.ttl", "norberg.xlsx"]


def test_atomic_folder_removes_everything_when_the_block_fails(tmp_path: Path) -> None:
    """An exception while filling the folder: the target is untouched, no temporary folder."""
    target = tmp_path / "csv"
    with pytest.raises(RuntimeError), atomic_folder(target) as temporary:
        (temporary / "a.csv").write_text("x", encoding="utf-8")
        raise RuntimeError("export failed")
    assert list(tmp_path.iterdir()) == []
