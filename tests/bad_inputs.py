"""The bad-input corpus: its cases, the generators of huge or binary cases, the network canary.

Each folder ``tests/data/bad/<class>/`` holds a ``cases.toml`` and the case files it
names. A case runs ``python -m goalgraph <command>`` in a subprocess, in a fresh tmp
folder holding a copy of its files, and says what must come out::

    [[case]]
    name = "turtle-unterminated-string"     # unique within the folder
    file = "unterminated-string.ttl"        # copied into the tmp folder: {file}
    # generate = "huge_exponent_turtle"     # OR: a generator below writes {file}
    extra = ["data.ttl"]                    # optional: more files of the folder to copy
    command = ["validate", "{file}", "--fail-on", "never"]
    exit = 2
    expect = ["unterminated-string.ttl", "3"]  # substrings of stdout + stderr
    outcome = "error"                       # "error" (exit 2) or "finding" (any other exit)
    lang = "en"                             # optional; default sv
    timeout = 30                            # optional seconds (default 60)
    env = { GOALGRAPH_MAX_INPUT_SIZE = "1KB" }  # optional extra environment
    skip_if = "root"                        # optional: "root" (file modes do not bind root)

Placeholders in ``command`` (and ``expect``): ``{file}`` the case file in the tmp
folder, ``{dir}`` that folder, ``{out}`` = ``{dir}/out.ttl`` (not existing),
``{examples}`` the repository's examples folder, ``{server}`` the base URL of the
local misbehaving server of ``tests/bad_servers.py`` (its session fixture
``bad_server`` returns that URL, with no trailing slash).

What every case must keep (checked by :func:`violations`): the exit code and
outcome, the expected substrings, no ``Traceback``, no timeout, the input files
unchanged, no file added on an error, no ``*.tmp`` left anywhere, and no request seen
by the canary: every run has the proxy variables pointed at a local HTTP server that
records every request, so a remote URL (``http://example.invalid/…``) can only be
reached through it. The subprocess also runs with an address-space limit, so a bomb
that slips through fails the case (MemoryError) instead of exhausting the machine.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import goalgraph

BAD = Path(__file__).parent / "data" / "bad"
EXAMPLES = Path(__file__).parents[1] / "examples"
SOURCE = Path(goalgraph.__file__).parents[1]

#: Address-space cap of one case's process: far above a normal run, far below the machine.
MEMORY_LIMIT = 3 * 1024**3
DEFAULT_TIMEOUT = 60.0

_KEYS = {
    "name",
    "file",
    "generate",
    "extra",
    "command",
    "exit",
    "expect",
    "outcome",
    "lang",
    "timeout",
    "env",
    "skip_if",
}
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")

Generator = Callable[[Path], Path]
GENERATORS: dict[str, Generator] = {}


def generator(function: Generator) -> Generator:
    """Register *function* (writes its case into the given folder, returns ``{file}``)."""
    GENERATORS[function.__name__] = function
    return function


@dataclass(frozen=True)
class Case:
    """One bad input and what goalgraph must answer to it."""

    folder: str
    name: str
    command: list[str]
    exit: int
    outcome: str
    expect: list[str] = field(default_factory=list)
    file: str | None = None
    generate: str | None = None
    extra: list[str] = field(default_factory=list)
    lang: str = "sv"
    timeout: float = DEFAULT_TIMEOUT
    env: dict[str, str] = field(default_factory=dict)
    skip_if: str | None = None

    @property
    def id(self) -> str:
        """``<class>/<name>``, the pytest id."""
        return f"{self.folder}/{self.name}"

    @property
    def needs_server(self) -> bool:
        """Whether the case talks to the local misbehaving server."""
        return any("{server}" in part for part in self.command)


def load_cases(root: Path = BAD) -> list[Case]:
    """Every case of every ``cases.toml`` below *root*, checked for well-formedness."""
    cases: list[Case] = []
    for toml_file in sorted(root.glob("*/cases.toml")):
        folder = toml_file.parent
        entries = tomllib.loads(toml_file.read_text(encoding="utf-8")).get("case", [])
        names: set[str] = set()
        for entry in entries:
            cases.append(_case(folder, entry, names))
    return cases


def _case(folder: Path, entry: dict[str, Any], names: set[str]) -> Case:
    where = f"{folder / 'cases.toml'}, case {entry.get('name')!r}"
    unknown = set(entry) - _KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    if entry["name"] in names:
        raise ValueError(f"{where}: the name is used twice")
    names.add(entry["name"])
    if "file" in entry and "generate" in entry:
        raise ValueError(f"{where}: give file or generate, not both")
    for name in [entry.get("file"), *entry.get("extra", [])]:
        if name is not None and not (folder / name).exists():
            raise ValueError(f"{where}: {name} is not in {folder}")
    if "generate" in entry and entry["generate"] not in GENERATORS:
        raise ValueError(f"{where}: no generator {entry['generate']!r} in tests/bad_inputs.py")
    if entry["outcome"] not in ("error", "finding"):
        raise ValueError(f"{where}: outcome must be error or finding")
    if (entry["outcome"] == "error") != (entry["exit"] == 2):
        raise ValueError(f"{where}: an error exits with 2, a finding with another code")
    if entry.get("skip_if") not in (None, "root"):
        raise ValueError(f"{where}: skip_if may only be 'root'")
    return Case(folder=folder.name, **entry)


@dataclass
class Outcome:
    """What one run of a case did."""

    returncode: int | None  # None: killed after the timeout
    output: str
    changed_inputs: list[str]
    added_files: list[str]
    tmp_files: list[str]
    requests: list[str]


def prepare(case: Case, folder: Path) -> Path | None:
    """Copy or generate *case*'s files into *folder*; the path of ``{file}``, if any."""
    source = BAD / case.folder
    for name in case.extra:
        _copy(source / name, folder / name)
    if case.file is not None:
        target = folder / case.file
        _copy(source / case.file, target)
        return target
    if case.generate is not None:
        return GENERATORS[case.generate](folder)
    return None


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)


def arguments(case: Case, *, file: Path | None, folder: Path, server: str | None) -> list[str]:
    """*case*'s command with its placeholders filled in."""
    values = {
        "file": str(file) if file is not None else "",
        "dir": str(folder),
        "out": str(folder / "out.ttl"),
        "examples": str(EXAMPLES),
        "server": server or "",
    }
    return [part.format(**values) for part in case.command]


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file below *folder* with a digest of its bytes (names for the rest).

    Huge sparse files are hashed by size and a sample, so taking a snapshot stays fast.
    """
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        try:
            if path.is_symlink() or not path.is_file():
                files[relative] = "-"
                continue
            size = path.stat().st_size
            with path.open("rb") as stream:
                head = stream.read(1 << 20)
                stream.seek(max(0, size - (1 << 20)))
                tail = stream.read(1 << 20)
            files[relative] = f"{size}:{hashlib.sha256(head + tail).hexdigest()}"
        except OSError:
            files[relative] = "unreadable"
    return files


def run(case: Case, folder: Path, *, server: str | None = None) -> Outcome:
    """Run *case* in *folder* (made fresh by the caller) and report what it did."""
    file = prepare(case, folder)
    before = snapshot(folder)
    env = {k: v for k, v in os.environ.items() if k not in _PROXY_VARIABLES}
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    if server is not None:
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE), env.get("PYTHONPATH")]))
    env["GOALGRAPH_LANG"] = case.lang
    env["COLUMNS"] = "200"  # rich wraps at the terminal width; keep names on one line
    env.update(case.env)
    command = [sys.executable, "-c", _LIMITED_MAIN, str(MEMORY_LIMIT)]
    command += arguments(case, file=file, folder=folder, server=server)
    with Canary() as canary:
        env.update({name: canary.url for name in _PROXY_VARIABLES})
        returncode, raw = _execute(command, folder=folder, env=env, timeout=case.timeout)
        requests = canary.requests
    after = snapshot(folder)
    return Outcome(
        returncode=returncode,
        output=raw.decode("utf-8", errors="replace"),
        changed_inputs=[n for n, digest in before.items() if after.get(n) != digest],
        added_files=[n for n in after if n not in before],
        tmp_files=[n for n in after if n.endswith(".tmp")],
        requests=requests,
    )


def _execute(
    command: list[str], *, folder: Path, env: dict[str, str], timeout: float
) -> tuple[int | None, bytes]:
    """The exit code (None if killed after *timeout*) and the output of *command*."""
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        raw, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raw, _ = process.communicate()
        return None, raw
    return process.returncode, raw


# Limits the address space before goalgraph starts, in the child only (preexec_fn is not
# safe while other threads run cases).
_LIMITED_MAIN = (
    "import resource, runpy, sys\n"
    "limit = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "sys.argv[0] = 'goalgraph'\n"
    "runpy.run_module('goalgraph', run_name='__main__', alter_sys=True)\n"
)


def violations(case: Case, outcome: Outcome, *, folder: Path) -> list[str]:
    """Every promise *case*'s run broke, in words; empty when it kept them all."""
    broken: list[str] = []
    text = outcome.output
    if outcome.returncode is None:
        broken.append(f"still running after {case.timeout} s (killed)")
    elif outcome.returncode != case.exit:
        broken.append(f"exit code {outcome.returncode}, expected {case.exit}")
    if "Traceback" in text:
        broken.append("a traceback was printed")
    for wanted in case.expect:
        wanted = wanted.replace("{dir}", str(folder))
        if wanted not in text:
            broken.append(f"{wanted!r} is not in the output")
    if outcome.changed_inputs:
        broken.append(f"input files changed: {outcome.changed_inputs}")
    if case.outcome == "error" and outcome.added_files:
        broken.append(f"files written despite the error: {outcome.added_files}")
    if outcome.tmp_files:
        broken.append(f"temporary files left behind: {outcome.tmp_files}")
    if outcome.requests:
        broken.append(f"network requests through the proxy: {outcome.requests}")
    return broken


class Canary:
    """An HTTP proxy on 127.0.0.1 that answers 502 and records every request it gets.

    Each run gets its own canary, so a request is never blamed on a neighbour running
    at the same time.
    """

    def __init__(self) -> None:
        self._requests: list[str] = []
        self._lock = threading.Lock()
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                with canary._lock:
                    canary._requests.append(f"{self.command} {self.path}")
                self.send_error(502, "goalgraph test canary: no network request is allowed")

            do_GET = do_POST = do_HEAD = do_PUT = do_CONNECT = do_OPTIONS = _record

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[str]:
        """Every request recorded so far."""
        with self._lock:
            return list(self._requests)

    def __enter__(self) -> Canary:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def is_root() -> bool:
    """Whether tests run as root, whom file modes do not stop."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------------------------------
# Generators: cases that are huge, binary or need file-system features git cannot hold.
# Each writes into the given (fresh) folder and returns the path given as {file}.
# ---------------------------------------------------------------------------------------------
