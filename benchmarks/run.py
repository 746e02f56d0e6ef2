"""Benchmark goalgraph.validate (fast engine) against plain pySHACL on synthetic national graphs.

    python3 benchmarks/run.py                        # N = 1, 10, 50, 290; pySHACL up to N = 50
    python3 benchmarks/run.py --sizes 1 10 --skip-pyshacl-above 10

Each engine runs in its own process, timed end to end (interpreter start,
imports, loading and validation) with its peak memory read from the kernel
(``ru_maxrss`` of that child). Graphs are generated once into
``benchmarks/out/`` (git-ignored). The result counts of both engines must be
equal; the table says so per row.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

FAST = """
import json, sys, time
start = time.perf_counter()
import goalgraph
graph = goalgraph.load(sys.argv[1])
loaded = time.perf_counter()
report = goalgraph.validate(graph, engine="fast")
done = time.perf_counter()
print(json.dumps({"triples": len(graph), "results": len(report), "engine": report.engine,
                  "load": loaded - start, "validate": done - loaded}))
"""

PYSHACL = """
import json, sys, time
start = time.perf_counter()
import pyshacl, rdflib
from goalgraph.resources import shapes_files, vocabulary_files
data = rdflib.Graph()
for path in [*vocabulary_files(), sys.argv[1]]:
    data.parse(path)
shapes = rdflib.Graph()
for path in shapes_files():
    shapes.parse(path)
loaded = time.perf_counter()
_, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
done = time.perf_counter()
sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
results = sum(1 for root in report.subjects(rdflib.RDF.type, sh.ValidationReport)
              for _ in report.objects(root, sh.result))
print(json.dumps({"triples": len(data), "results": results, "engine": "pyshacl",
                  "load": loaded - start, "validate": done - loaded}))
"""


def graph_file(size: int) -> Path:
    """The generated Turtle of *size* kommuner, generated on first use."""
    path = OUT / f"national-{size}.ttl"
    if not path.is_file():
        sys.path.insert(0, str(HERE))
        from generate import write

        write(size, path)
    return path


def run_engine(code: str, path: Path) -> dict[str, float]:
    """Run one engine in a child process; add its wall time and peak memory."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"engine failed on {path} (exit {child.returncode})")
    result = json.loads(output)
    result["wall"] = wall
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50, 290])
    parser.add_argument(
        "--skip-pyshacl-above",
        type=int,
        default=50,
        metavar="N",
        help="run pySHACL only for sizes up to N (default 50; N = 290 takes hours)",
    )
    args = parser.parse_args(argv)
    rows = []
    print(
        "| N | data triples | fast: wall (load + checks) | fast peak | "
        "pySHACL: wall (parse + validate) | pySHACL peak | speed-up | results fast / pySHACL |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        path = graph_file(size)
        fast = run_engine(FAST, path)
        reference = None
        if size <= args.skip_pyshacl_above:
            reference = run_engine(PYSHACL, path)
        row = {"size": size, "fast": fast, "pyshacl": reference}
        rows.append(row)
        fast_text = f"{fast['wall']:.2f} s ({fast['load']:.2f} + {fast['validate']:.2f})"
        if reference is None:
            ref_text, ref_peak, ratio, counts = "skipped", "–", "–", f"{fast['results']} / –"
        else:
            ref_text = (
                f"{reference['wall']:.1f} s ({reference['load']:.1f} + {reference['validate']:.1f})"
            )
            ref_peak = f"{reference['peak_mb']:.0f} MB"
            ratio = f"{reference['wall'] / fast['wall']:.0f}×"
            same = "equal" if reference["results"] == fast["results"] else "DIFFERENT"
            counts = f"{fast['results']} / {reference['results']} ({same})"
        print(
            f"| {size} | {fast['triples']:,} | {fast_text} | {fast['peak_mb']:.0f} MB | "
            f"{ref_text} | {ref_peak} | {ratio} | {counts} |",
            flush=True,
        )
    (OUT / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    mismatched = [
        r for r in rows if r["pyshacl"] and r["pyshacl"]["results"] != r["fast"]["results"]
    ]
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
