"""The command line ends its process without freeing its graphs, and loses no output doing so."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goalgraph.cli import app, ending
from support import run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run_script(body: str) -> subprocess.CompletedProcess[str]:
    script = "from goalgraph.cli.ending import keep, run\n" + textwrap.dedent(body)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


def test_keep_outside_run_holds_nothing() -> None:
    """Called in-process (a test, a library caller), keep returns its value and holds nothing."""
    value = object()
    assert ending.keep(value) is value
    assert ending._kept is None


def test_run_keeps_what_the_command_loaded_until_the_end() -> None:
    """Under run, what a command keeps is still alive after the command returned."""
    done = _run_script(
        """
        import gc, sys, weakref
        class Graph: pass
        seen = []
        def command_line():
            seen.append(weakref.ref(keep(Graph())))
            raise SystemExit(0)
        def report():
            gc.collect()
            print("alive" if seen[0]() is not None else "freed", end="")
        import atexit
        import goalgraph.cli.ending as ending
        original = ending.os._exit
        def exit_after_report(code):
            report()
            sys.stdout.flush()
            original(code)
        ending.os._exit = exit_after_report
        run(command_line)
        """
    )
    assert done.stdout == "alive", done.stderr


def test_run_flushes_buffered_output_and_keeps_the_exit_code() -> None:
    """Output still in Python's buffers when the command returns reaches the pipe, and the
    command's exit code is the process's."""
    done = _run_script(
        """
        import sys
        def command_line():
            sys.stdout.write("x" * 100_000)  # no newline: held in the buffer
            sys.stderr.write("warning without newline")
            raise SystemExit(3)
        run(command_line)
        """
    )
    assert done.returncode == 3
    assert done.stdout == "x" * 100_000
    assert done.stderr == "warning without newline"


def test_run_without_an_exit_ends_with_zero() -> None:
    """A command line that returns instead of raising SystemExit ends with exit code 0."""
    done = _run_script("run(lambda: print('done'))\n")
    assert (done.returncode, done.stdout) == (0, "done\n")


@pytest.mark.parametrize(
    ("ending_code", "returncode", "stderr"),
    [
        ("raise SystemExit('a message')", 1, "a message"),
        ("raise RuntimeError('a bug')", 1, "RuntimeError: a bug"),
    ],
)
def test_run_leaves_other_endings_to_python(ending_code: str, returncode: int, stderr: str) -> None:
    """A message given to sys.exit, or an error escaping the command line, ends the process
    the usual way: Python prints it and exits with 1."""
    done = _run_script(_MARK + f"def command_line():\n    {ending_code}\nrun(command_line)\n")
    assert done.returncode == returncode
    assert stderr in done.stderr
    assert "[usual end]" in done.stderr


_MARK = "import atexit, sys\natexit.register(lambda: sys.stderr.write('[usual end]'))\n"


def test_run_ends_without_pythons_shutdown() -> None:
    """The fast end skips Python's shutdown (its atexit handlers): that is where the memory
    would be freed."""
    done = _run_script(_MARK + "run(lambda: print('done'))\n")
    assert done.returncode == 0
    assert "[usual end]" not in done.stderr


def test_run_leaves_an_output_that_cannot_be_flushed_to_python() -> None:
    """Output that cannot be flushed (a closed pipe) is not hidden by the fast end: the
    process ends the usual way, so Python reports it."""
    done = _run_script(
        _MARK
        + textwrap.dedent(
            """
            class ClosedPipe:
                def write(self, text): return len(text)
                def flush(self): raise BrokenPipeError(32, "Broken pipe")
            def command_line():
                sys.stdout = ClosedPipe()
                raise SystemExit(0)
            run(command_line)
            """
        )
    )
    assert "[usual end]" in done.stderr


def test_console_script_output_equals_in_process_output() -> None:
    """`python -m goalgraph validate --format json` through the fast end writes the same
    document, and the same exit code, as the command run in-process."""
    args = ["--lang", "en", "validate", str(EXAMPLES), "--format", "json"]
    in_process = CliRunner().invoke(app, args)
    done = run_cli(*args)
    assert done.returncode == in_process.exit_code == 1  # the examples have violations
    assert json.loads(done.stdout) == json.loads(in_process.stdout)
