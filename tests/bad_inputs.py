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
outcome, the expected substrings, no ``Traceback``, no line or column worded in the
other language (``line 3`` in a Swedish run), no timeout, the input files
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
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import goalgraph
from recording_server import RecordingServer

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

#: A line or column worded in the language a case's run does not speak (a parser's English
#: "line 84" passed through into a Swedish message, or the other way round).
FOREIGN_PLACE = {
    "sv": re.compile(r"\b(?:[Ll]ine|[Cc]olumns?) \d+"),
    "en": re.compile(r"\b(?:[Rr]ad|[Kk]olumn) \d+"),
}

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
    seconds: float = 0.0


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
        started = time.monotonic()
        returncode, raw = _execute(command, folder=folder, env=env, timeout=case.timeout)
        seconds = time.monotonic() - started
        requests = canary.requests
    after = snapshot(folder)
    return Outcome(
        returncode=returncode,
        output=raw.decode("utf-8", errors="replace"),
        changed_inputs=[n for n, digest in before.items() if after.get(n) != digest],
        added_files=[n for n in after if n not in before],
        tmp_files=[n for n in after if n.endswith(".tmp")],
        requests=requests,
        seconds=seconds,
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
    foreign = FOREIGN_PLACE[case.lang].search(text)
    if foreign is not None:
        broken.append(f"{foreign.group()!r}: a place worded in the other language than {case.lang}")
    return broken


class Canary(RecordingServer):
    """An HTTP proxy on 127.0.0.1 that answers 502 and records every request it gets.

    Each run gets its own canary, so a request is never blamed on a neighbour running
    at the same time.
    """

    def __init__(self) -> None:
        super().__init__(_refuse)


def _refuse(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_error(502, "goalgraph test canary: no network request is allowed")


def is_root() -> bool:
    """Whether tests run as root, whom file modes do not stop."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------------------------------
# Generators: cases that are huge, binary or need file-system features git cannot hold.
# Each writes into the given (fresh) folder and returns the path given as {file}.
# ---------------------------------------------------------------------------------------------

_GOALS = [
    ["id", "typ", "namn"],
    ["V", "vision", "Här växer människor och företag"],
    ["KF1", "kf-mål", "Trygga invånare"],
]


def _workbook(path: Path, goals: list[list[Any]] | None = None) -> Any:
    """A small valid import workbook (Metadata and Mål) at *path*; returned unsaved."""
    import openpyxl

    workbook = openpyxl.Workbook()
    metadata = workbook.active
    metadata.title = "Metadata"
    metadata.append(["kommunkod"])
    metadata.append(["0685"])
    sheet = workbook.create_sheet("Mål")
    for row in goals or _GOALS:
        sheet.append(row)
    return workbook


def _rezip(path: Path, replace: dict[str, bytes]) -> None:
    """Rewrite the zip *path* with some members' bytes replaced (or added)."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members.update(replace)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


@generator
def valid_xlsx(folder: Path) -> Path:
    """A small valid workbook (a control case, and the base of the limit cases)."""
    path = folder / "bok.xlsx"
    _workbook(path).save(path)
    return path


@generator
def zip_bomb_xlsx(folder: Path) -> Path:
    """A 200 KB workbook whose sheet part unzips to 200 MB of spaces."""
    import zipfile

    path = valid_xlsx(folder)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as part,
    ):
        block = b" " * (1 << 20)
        for _ in range(200):
            part.write(block)
    return path


@generator
def entity_bomb_xlsx(folder: Path) -> Path:
    """A workbook whose Mål sheet XML declares a "billion laughs" entity."""
    path = valid_xlsx(folder)
    entities = "".join(
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE worksheet [<!ENTITY l0 "ha">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    _rezip(path, {"xl/worksheets/sheet2.xml": sheet.encode()})
    return path


@generator
def external_entity_xlsx(folder: Path) -> Path:
    """A workbook whose workbook.xml declares an external entity on a remote host."""
    import zipfile

    path = valid_xlsx(folder)
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    body = workbook.split("?>", 1)[-1]
    declaration = '<!DOCTYPE workbook [<!ENTITY x SYSTEM "http://example.invalid/secret">]>'
    text = f'<?xml version="1.0" encoding="UTF-8"?>{declaration}{body}'
    _rezip(path, {"xl/workbook.xml": text.replace("Metadata", "&x;", 1).encode()})
    return path


@generator
def very_hidden_sheet_xlsx(folder: Path) -> Path:
    """A workbook with a very hidden sheet of goals beside the visible ones."""
    path = folder / "bok.xlsx"
    workbook = _workbook(path)
    hidden = workbook.create_sheet("Hemliga mål")
    hidden.append(["id", "typ", "namn"])
    hidden.append(["KF9", "kf-mål", "Ett mål ingen ser"])
    hidden.sheet_state = "veryHidden"
    workbook.save(path)
    return path


@generator
def hidden_sheet_xlsx(folder: Path) -> Path:
    """A workbook with a (plainly) hidden sheet."""
    path = folder / "bok.xlsx"
    workbook = _workbook(path)
    hidden = workbook.create_sheet("Gamla mål")
    hidden.append(["id", "typ", "namn"])
    hidden.sheet_state = "hidden"
    workbook.save(path)
    return path


@generator
def formula_xlsx(folder: Path) -> Path:
    """A workbook whose required name cell is a formula never calculated (no cached value)."""
    path = folder / "bok.xlsx"
    goals = [*_GOALS[:2], ["KF1", "kf-mål", '=CONCATENATE("Trygga ";"invånare")']]
    _workbook(path, goals).save(path)
    return path


@generator
def broken_sheet_xml_xlsx(folder: Path) -> Path:
    """A workbook whose Mål sheet XML has a stray "<" on line 2 (a damaged file)."""
    path = valid_xlsx(folder)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><<sheetData>'
        "</sheetData></worksheet>"
    )
    _rezip(path, {"xl/worksheets/sheet2.xml": sheet.encode()})
    return path


@generator
def truncated_xlsx(folder: Path) -> Path:
    """A workbook cut off half way (an interrupted download)."""
    path = valid_xlsx(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@generator
def huge_float_xlsx(folder: Path) -> Path:
    """A workbook with an observation whose numeric cell holds 1e308."""
    path = folder / "bok.xlsx"
    workbook = _workbook(path)
    indicators = workbook.create_sheet("Nyckeltal")
    indicators.append(["id", "mål", "namn"])
    indicators.append(["NT1", "KF1", "Andel trygga (%)"])
    observations = workbook.create_sheet("Observationer")
    observations.append(["id", "nyckeltal", "år", "värde"])
    observations.append(["O1", "NT1", "2023", 1e308])
    workbook.save(path)
    return path


@generator
def fifo_turtle(folder: Path) -> Path:
    """A named pipe called data.ttl that nobody writes to: reading it would block forever."""
    path = folder / "data.ttl"
    os.mkfifo(path)
    return path


@generator
def fifo_csv(folder: Path) -> Path:
    """A named pipe called mal.csv."""
    path = folder / "mal.csv"
    os.mkfifo(path)
    return path


@generator
def fifo_yaml(folder: Path) -> Path:
    """A named pipe called data.yaml."""
    path = folder / "data.yaml"
    os.mkfifo(path)
    return path


@generator
def socket_turtle(folder: Path) -> Path:
    """A Unix socket file called data.ttl."""
    import socket

    path = folder / "data.ttl"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return path


@generator
def symlink_loop_turtle(folder: Path) -> Path:
    """data.ttl → other.ttl → data.ttl."""
    (folder / "data.ttl").symlink_to("other.ttl")
    (folder / "other.ttl").symlink_to("data.ttl")
    return folder / "data.ttl"


@generator
def dangling_link_turtle(folder: Path) -> Path:
    """data.ttl, a symbolic link to a file that does not exist."""
    (folder / "data.ttl").symlink_to("moved-away.ttl")
    return folder / "data.ttl"


def _data_folder(folder: Path) -> Path:
    data = folder / "data"
    data.mkdir()
    (data / "good.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8"
    )
    return data


@generator
def folder_with_fifo(folder: Path) -> Path:
    """A data folder holding a good Turtle file and a named pipe called pipe.ttl."""
    data = _data_folder(folder)
    os.mkfifo(data / "pipe.ttl")
    return data


@generator
def folder_with_symlink_loop(folder: Path) -> Path:
    """A data folder holding a good Turtle file and a symlink loop called loop.ttl."""
    data = _data_folder(folder)
    (data / "loop.ttl").symlink_to("loop.ttl")
    return data


@generator
def folder_with_dangling_link(folder: Path) -> Path:
    """A data folder holding a good Turtle file and a link to a missing file, gone.ttl."""
    data = _data_folder(folder)
    (data / "gone.ttl").symlink_to("../nowhere.ttl")
    return data


@generator
def folder_with_unreadable_file(folder: Path) -> Path:
    """A data folder holding a good Turtle file and secret.ttl that nobody may read."""
    data = _data_folder(folder)
    secret = data / "secret.ttl"
    secret.write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    secret.chmod(0)
    return data


@generator
def csv_folder_with_fifo(folder: Path) -> Path:
    """A folder of CSV import files, one of them (mal.csv) a named pipe."""
    data = folder / "csv"
    data.mkdir()
    (data / "metadata.csv").write_text("kommunkod\n0685\n", encoding="utf-8")
    os.mkfifo(data / "mal.csv")
    return data


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as stream:
        stream.truncate(size)
    return path


@generator
def sparse_turtle_5gb(folder: Path) -> Path:
    """A 5 GB Turtle file that takes no disk (sparse): refused before it is read."""
    return _sparse(folder / "huge.ttl", 5 * 1024**3)


@generator
def sparse_csv_5gb(folder: Path) -> Path:
    """A 5 GB (sparse) CSV import file."""
    return _sparse(folder / "mal.csv", 5 * 1024**3)


@generator
def sparse_yaml_5gb(folder: Path) -> Path:
    """A 5 GB (sparse) YAML import file."""
    return _sparse(folder / "data.yaml", 5 * 1024**3)


@generator
def sparse_xlsx_5gb(folder: Path) -> Path:
    """A 5 GB (sparse) workbook."""
    return _sparse(folder / "bok.xlsx", 5 * 1024**3)


@generator
def binary_turtle(folder: Path) -> Path:
    """A .ttl file holding binary bytes (a picture saved under the wrong name)."""
    path = folder / "bild.ttl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return path


@generator
def deep_json_ld(folder: Path) -> Path:
    """A JSON-LD file nested 100 000 arrays deep (Python's json would overflow its stack)."""
    path = folder / "djup.jsonld"
    depth = 100_000
    path.write_text(
        '{"@id": "http://example.org/a", "http://example.org/p": '
        + "[" * depth
        + '"x"'
        + "]" * depth
        + "}",
        encoding="utf-8",
    )
    return path


@generator
def deep_yaml(folder: Path) -> Path:
    """A YAML import file nested 20 000 levels deep."""
    path = folder / "djup.yaml"
    depth = 20_000
    path.write_text(
        'metadata: {kommunkod: "0685"}\nmål: ' + "[" * depth + "x" + "]" * depth + "\n",
        encoding="utf-8",
    )
    return path


@generator
def long_field_csv(folder: Path) -> Path:
    """A goals CSV whose vision has a 200 000-character description (over csv's default)."""
    path = folder / "mal.csv"
    text = "Vi växer tillsammans. " * 9_100
    path.write_text(
        f'id,typ,namn,beskrivning\nV,vision,Här växer människor och företag,"{text}"\n',
        encoding="utf-8",
    )
    return path


@generator
def many_rows_csv(folder: Path) -> Path:
    """A goals CSV of 2 000 rows (over a cell limit set low by the case)."""
    path = folder / "mal.csv"
    rows = "".join(f"KF{i},kf-mål,Mål {i}\n" for i in range(2_000))
    path.write_text("id,typ,namn\n" + rows, encoding="utf-8")
    return path
