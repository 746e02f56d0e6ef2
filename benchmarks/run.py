"""Benchmark ``goalgraph validate`` against the floor (bare pyoxigraph loading) and other engines.

    python3 benchmarks/run.py                    # N = 1, 10, 50, 290; references up to N = 10
    python3 benchmarks/run.py --sizes 1 290 --repeat 3
    python3 benchmarks/run.py --sizes 1 --skip-pyshacl-above 0 --skip-turbo-above 0
    python3 benchmarks/run.py --sizes 290 --repeat 3 --compare main   # before/after, one run

Every measurement is a process of its own (``engines.py``), so times are
whole-process wall times (interpreter start, imports, loading, validation)
with that process's peak memory (``ru_maxrss``); times measured inside the
process split them up. The **floor** is a process doing only bare pyoxigraph
``Store().load()`` of the same Turtle file; iterating ``pyoxigraph.parse``
over the file is printed as a second reference. Two ratios, both within this
one run:

* end to end: ``python3 -m goalgraph validate FILE`` (the CLI, text report
  to /dev/null) over the floor process, target <= 1.3; since the CLI leaves
  its store to the operating system at the end (``cli/ending.py``), the same
  ratio over a floor process that ends alike (``floor_kept``) is printed
  beside it;
* checks: ``goalgraph.validate`` on an already loaded store (compile, run
  the checks, build the report) over the floor's own load time, target <= 0.25.

pySHACL, pyshacl-turbo and pyrudof run on the same data and shapes up to the
sizes given by ``--skip-…-above``; each one's result set is compared with
goalgraph's, key by key (see ``engines.py``). The exit code is 1 when a
result set differs. Graphs are generated once into ``benchmarks/out/``
(git-ignored); results also go to ``benchmarks/out/results.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TARGET_END_TO_END = 1.3
TARGET_CHECKS = 0.25
REFERENCES = {"pyshacl": "pySHACL", "turbo": "pyshacl-turbo", "rudof": "pyrudof"}
DEFAULT_SKIP = {"pyshacl": 10, "turbo": 10, "rudof": 10}


def graph_file(size: int) -> Path:
    """The generated Turtle of *size* kommuner, generated on first use."""
    path = OUT / f"national-{size}.ttl"
    if not path.is_file():
        sys.path.insert(0, str(HERE))
        from generate import write

        write(size, path)
    return path


def run_process(
    command: list[str], *, capture: bool = True, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run *command* as a child; its JSON output (if any) plus its wall time and peak memory."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE if capture else subprocess.DEVNULL, text=True, env=env
    )
    output = child.stdout.read() if child.stdout is not None else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {code})")
    result: dict[str, Any] = json.loads(output) if capture else {}
    result["wall"] = wall
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def measure(kind: str, path: Path, *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One ``engines.py`` measurement of *kind* on *path* (with *env*, if given)."""
    return run_process([sys.executable, str(HERE / "engines.py"), kind, str(path)], env=env)


def cli_process(path: Path, *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``python3 -m goalgraph validate`` on *path*, timed as a process (report to /dev/null)."""
    command = [sys.executable, "-m", "goalgraph", "validate", str(path), "--fail-on", "never"]
    return run_process(command, capture=False, env=env)


def exported(revision: str, folder: Path) -> dict[str, str]:
    """The environment for running goalgraph as of git *revision*, exported into *folder*."""
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", revision, "src", "shapes", "ontology"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return {**os.environ, "PYTHONPATH": str(folder / "src")}


def print_comparison(paths: list[Path], revision: str, repeat: int) -> bool:
    """Measure the goalgraph of *revision* and this one alternately, each against the same
    floor; print both ratios, and return whether their result sets are equal everywhere."""
    print(
        f"| N | floor: process (load) | {revision}: end to end / floor | checks / floor "
        "| this: end to end / floor | checks / floor | results |"
    )
    print("|---|---|---|---|---|---|---|")
    equal = True
    with tempfile.TemporaryDirectory() as folder:
        sides = {"before": exported(revision, Path(folder)), "after": dict(os.environ)}
        for path in paths:
            floors: list[dict[str, Any]] = []
            runs: dict[str, dict[str, list[dict[str, Any]]]] = {
                side: {"library": [], "cli": []} for side in sides
            }
            for turn in range(repeat):
                floors.append(measure("floor", path))
                order = list(sides) if turn % 2 == 0 else list(reversed(sides))
                for side in order:
                    runs[side]["library"].append(measure("goalgraph", path, env=sides[side]))
                    runs[side]["cli"].append(cli_process(path, env=sides[side]))
            floor = best(floors, "wall")
            floor_load = best(floors, "load")["load"]
            cells = []
            for side in sides:
                library = best(runs[side]["library"], "validate")
                cli = best(runs[side]["cli"], "wall")
                cells.append(f"{_ratio(cli['wall'] / floor['wall'], TARGET_END_TO_END)}")
                cells.append(f"{_ratio(library['validate'] / floor_load, TARGET_CHECKS)}")
            keys = [Counter(map(tuple, runs[side]["library"][0]["keys"])) for side in sides]
            same = keys[0] == keys[1]
            equal = equal and same
            count = sum(keys[1].values())
            print(
                f"| {path.stem.rsplit('-', 1)[-1]} | {floor['wall']:.2f} s ({floor_load:.2f}) "
                f"| {' | '.join(cells)} | {count} ({'equal' if same else '**DIFFER**'}) |",
                flush=True,
            )
    return equal


def best(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The run with the smallest *key*: other processes on the machine only ever add time."""
    return min(runs, key=lambda run: run[key])


def _simple_paths(keys: list[list[str]]) -> list[list[str]]:
    """Keys with complex paths written as pyrudof's keys write them."""
    return [
        [*key[:4], key[4] if key[4].startswith("<") or not key[4] else "(complex path)"]
        for key in keys
    ]


def compare(ours: list[list[str]], theirs: list[list[str]], engine: str) -> tuple[bool, str]:
    """Whether two result sets are equal (as multisets of keys), and a short text saying so."""
    if engine == "rudof":
        ours = _simple_paths(ours)
    mine = Counter(map(tuple, ours))
    other = Counter(map(tuple, theirs))
    if mine == other:
        return True, f"{sum(other.values())} (equal)"
    only_ours = sum((mine - other).values())
    only_theirs = sum((other - mine).values())
    return False, (
        f"{sum(other.values())} — **DIFFERS**: {only_ours} only in goalgraph, "
        f"{only_theirs} only in {REFERENCES[engine]}"
    )


def _ratio(value: float, target: float) -> str:
    return f"{value:.2f}× ({'met' if value <= target else '**missed**'})"


def print_profile(path: Path) -> None:
    """Print the stages of one goalgraph run on *path* and the ten slowest checks."""
    floor = measure("floor", path)
    found = measure("profile", path)
    print(f"floor (bare pyoxigraph load): {floor['load']:.2f} s; {found['triples']:,} data triples")
    print("\n| stage | time | / floor |\n|---|---|---|")
    for name, seconds in found["stages"].items():
        print(f"| {name} | {seconds:.2f} s | {seconds / floor['load']:.2f} |")
    print(f"\n{len(found['checks'])} checks, {found['results']} results; the slowest, run alone:")
    print("\n| check | time | rows |\n|---|---|---|")
    for name, seconds, count in found["checks"][:12]:
        print(f"| {name} | {seconds:.2f} s | {count} |")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print two Markdown tables, and return 1 if a result set differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50, 290])
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="run the floor and goalgraph R times each and keep the fastest (default 1)",
    )
    for engine, name in REFERENCES.items():
        parser.add_argument(
            f"--skip-{engine}-above",
            type=int,
            default=DEFAULT_SKIP[engine],
            metavar="N",
            help=f"run {name} only for sizes up to N (default {DEFAULT_SKIP[engine]})",
        )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="only print where goalgraph's time goes at size N (stages, then each check alone)",
    )
    parser.add_argument(
        "--compare",
        metavar="REV",
        help="only measure the goalgraph of git revision REV and this one, alternately in "
        "one run, each against the same floor (and compare their result sets)",
    )
    args = parser.parse_args(argv)
    if args.profile is not None:
        print_profile(graph_file(args.profile))
        return 0
    if args.compare is not None:
        paths = [graph_file(size) for size in args.sizes]
        return 0 if print_comparison(paths, args.compare, args.repeat) else 1
    rows: list[dict[str, Any]] = []
    differs = False
    print(
        "| N | data triples | floor: process (load) | ox.parse | goalgraph validate (CLI) "
        "| end to end / floor | / floor not freed | load | checks (loaded store) | checks / floor "
        "| peak |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    references: list[str] = []
    for size in args.sizes:
        path = graph_file(size)
        floors, kept, parses, libraries, clis = [], [], [], [], []
        for _ in range(args.repeat):
            floors.append(measure("floor", path))
            kept.append(measure("floor_kept", path))
            parses.append(measure("parse", path))
            libraries.append(measure("goalgraph", path))
            clis.append(cli_process(path))
        floor, parse = best(floors, "wall"), best(parses, "load")
        library, cli = best(libraries, "validate"), best(clis, "wall")
        floor_load = best(floors, "load")["load"]
        end_to_end = cli["wall"] / floor["wall"]
        # the CLI leaves its store to the operating system (cli/ending.py): the same floor
        floor_not_freed = best(kept, "wall")
        end_to_end_kept = cli["wall"] / floor_not_freed["wall"]
        checks = library["validate"] / floor_load
        row: dict[str, Any] = {
            "size": size,
            "triples": library["triples"],
            "floor": floor,
            "parse": parse,
            "goalgraph": {k: v for k, v in library.items() if k != "keys"},
            "cli": cli,
            "floor_not_freed": floor_not_freed,
            "end_to_end_ratio": end_to_end,
            "end_to_end_not_freed_ratio": end_to_end_kept,
            "checks_ratio": checks,
            "results": len(library["keys"]),
            "references": {},
        }
        print(
            f"| {size} | {library['triples']:,} | {floor['wall']:.2f} s ({floor_load:.2f}) "
            f"| {parse['load']:.2f} s | {cli['wall']:.2f} s "
            f"| {_ratio(end_to_end, TARGET_END_TO_END)} | {end_to_end_kept:.2f}× "
            f"| {library['load']:.2f} s | {library['validate']:.2f} s "
            f"| {_ratio(checks, TARGET_CHECKS)} | {cli['peak_mb']:.0f} MB |",
            flush=True,
        )
        for engine, name in REFERENCES.items():
            if size > getattr(args, f"skip_{engine}_above"):
                continue
            other = measure(engine, path)
            same, text = compare(library["keys"], other["keys"], engine)
            differs = differs or not same
            row["references"][engine] = {
                **{k: v for k, v in other.items() if k != "keys"},
                "same": same,
            }
            references.append(
                f"| {size} | {name} | {other['wall']:.1f} s ({other['load']:.1f} + "
                f"{other['validate']:.1f}) | {other['peak_mb']:.0f} MB "
                f"| {other['wall'] / cli['wall']:.0f}× | {text} |"
            )
        rows.append(row)
    if references:
        print()
        print(
            "| N | engine | wall (load + validate) | peak | wall / goalgraph CLI "
            "| results (compared with goalgraph's) |"
        )
        print("|---|---|---|---|---|---|")
        print("\n".join(references))
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if differs:
        print("\nA reference engine's result set DIFFERS from goalgraph's (see above).")
    return 1 if differs else 0


if __name__ == "__main__":
    raise SystemExit(main())
