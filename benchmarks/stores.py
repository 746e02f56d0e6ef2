"""Benchmark ``validate`` on a store on disk beside ``validate`` from files, in the same run.

    python3 benchmarks/stores.py                 # N = 290
    python3 benchmarks/stores.py --sizes 1 10

For each N the synthetic national graph (``generate.py``, git-ignored in
``benchmarks/out/``) is validated by the ``goalgraph`` command twice, each in
its own process timed end to end: from the file (parse, then validate), and
from a store made once by ``goalgraph load --store`` (the load is timed too
but is not part of the ratio). Both runs must give the same JSON report; the
exit code is 1 otherwise. The target of issue 12 is a ratio of at most 0.3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SRC = HERE.parent / "src"


def _graph(size: int) -> Path:
    path = OUT / f"national-{size}.ttl"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        text = subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(size)],
            check=True,
            capture_output=True,
            text=True,
            env=_env(),
        ).stdout
        path.write_text(text, encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def _timed(*args: str) -> tuple[float, str]:
    """Seconds the ``goalgraph`` command took, and its standard output."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "goalgraph", *args], capture_output=True, text=True, env=_env()
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"goalgraph {' '.join(args)} failed:\n{done.stderr}")
    return seconds, done.stdout


def measure(size: int) -> dict[str, object]:
    """Time validate from files and from a store at *size* kommuner; check equal answers."""
    data = _graph(size)
    check = ("--format", "json", "--fail-on", "never")
    with tempfile.TemporaryDirectory(prefix="goalgraph-stores-") as scratch:
        store = Path(scratch) / "store"
        loading, _ = _timed("load", "--store", str(store), str(data))
        files, from_files = _timed("validate", str(data), *check)
        stored, from_store = _timed("validate", "--store", str(store), *check)
    same = json.loads(from_files) == json.loads(from_store)
    return {
        "N": size,
        "load_store_s": round(loading, 2),
        "validate_files_s": round(files, 2),
        "validate_store_s": round(stored, 2),
        "ratio": round(stored / files, 3),
        "same_results": same,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[290])
    rows = [measure(size) for size in parser.parse_args().sizes]
    header = (
        f"{'N':>4}  {'load --store':>12}  {'validate files':>14}  "
        f"{'validate --store':>16}  {'ratio':>6}  same"
    )
    print(header)
    for row in rows:
        print(
            f"{row['N']:>4}  {row['load_store_s']:>11}s  {row['validate_files_s']:>13}s  "
            f"{row['validate_store_s']:>15}s  {row['ratio']:>6}  {row['same_results']}"
        )
    (OUT / "stores-results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if not all(row["same_results"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
