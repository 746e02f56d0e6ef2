"""Benchmark ``validate`` on a store on disk beside ``validate`` from files, in the same run.

    python3 benchmarks/stores.py                 # N = 290
    python3 benchmarks/stores.py --sizes 1 10

For each N the synthetic national graph (``generate.py``, git-ignored in
``benchmarks/out/``) is handled by the ``goalgraph`` command, each step in its
own process timed end to end, in this order:

1. ``load --store`` into a new store (nothing to re-check: no saved results);
2. ``validate`` from the file (parse, then validate): the reference;
3. ``validate --store`` **cold**: the store holds no results, the checks run on
   the RocksDB store and their results are saved (the honest worst case);
4. ``validate --store`` **warm**: the saved results are read;
5. ``load --store --recheck`` of one more kommun's file (Vetlanda's example): the store
   held results, so the load re-checks the whole store and saves them;
6. ``validate --store`` after that load: warm again;
7. ``load --store --no-recheck`` of another kommun's file (Norberg's example),
   the same kind of load without the re-check.

Steps 2 to 4 must give the same JSON report; the exit code is 1 otherwise
(the re-checked results after step 5 are compared with fresh ones by the
tests, ``tests/test_store_saved_results.py``). Each step is printed as it
ends. The target of issue 12 is ``validate --store`` at most 0.3 x the
from-files time.
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


def _step(label: str, *args: str) -> tuple[float, str]:
    seconds, output = _timed(*args)
    print(f"  {label:<48} {seconds:>8.2f} s", flush=True)
    return seconds, output


def measure(size: int) -> dict[str, object]:
    """Time the steps above at *size* kommuner; check that every report is the same."""
    data = _graph(size)
    check = ("--format", "json", "--fail-on", "never")
    examples = HERE.parent / "examples"
    print(f"N = {size}", flush=True)
    with tempfile.TemporaryDirectory(prefix="goalgraph-stores-") as scratch:
        store = ("--store", str(Path(scratch) / "store"))
        first_load, _ = _step("load --store, first", "load", *store, str(data))
        files, from_files = _step("validate from the file", "validate", str(data), *check)
        cold, from_cold = _step("validate --store, cold", "validate", *store, *check)
        warm, from_warm = _step("validate --store, warm", "validate", *store, *check)
        vetlanda = str(examples / "vetlanda" / "vetlanda.ttl")
        rechecked, _ = _step(
            "load --store one kommun, with the re-check", "load", *store, "--recheck", vetlanda
        )
        after, _ = _step("validate --store after it, warm", "validate", *store, *check)
        norberg = str(examples / "norberg" / "norberg.ttl")
        plain, _ = _step(
            "load --store one kommun, --no-recheck", "load", *store, "--no-recheck", norberg
        )
    expected = json.loads(from_files)
    same = all(json.loads(text) == expected for text in (from_cold, from_warm))
    return {
        "N": size,
        "load_first_s": round(first_load, 2),
        "load_kommun_recheck_s": round(rechecked, 2),
        "load_kommun_no_recheck_s": round(plain, 2),
        "validate_files_s": round(files, 2),
        "validate_store_cold_s": round(cold, 2),
        "validate_store_warm_s": round(warm, 2),
        "validate_store_after_load_s": round(after, 2),
        "ratio_cold": round(cold / files, 3),
        "ratio_warm": round(warm / files, 3),
        "ratio_after_load": round(after / files, 3),
        "same_results": same,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[290])
    rows = [measure(size) for size in parser.parse_args().sizes]
    for row in rows:
        files = row["validate_files_s"]
        print(f"N = {row['N']}  (seconds; ratio to validate from the file, same run)")
        for label, key in (
            ("validate from the file", "validate_files_s"),
            ("validate --store, cold (no saved results)", "validate_store_cold_s"),
            ("validate --store, warm (saved results)", "validate_store_warm_s"),
            ("validate --store after a re-checking load", "validate_store_after_load_s"),
            ("load --store, first (nothing to re-check)", "load_first_s"),
            ("load --store one kommun, with the re-check", "load_kommun_recheck_s"),
            ("load --store one kommun, --no-recheck", "load_kommun_no_recheck_s"),
        ):
            seconds = row[key]
            assert isinstance(seconds, float) and isinstance(files, float)
            print(f"  {label:<48} {seconds:>8.2f} s  {seconds / files:>6.3f}")
        print(f"  same report from the file, cold and warm: {row['same_results']}")
    (OUT / "stores-results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if not all(row["same_results"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
