"""Benchmark goalgraph's report: one kommun from the files, and a national run, against loading.

    python3 benchmarks/report.py                  # the examples, N = 1, and N = 290 one file each
    python3 benchmarks/report.py --national 50    # a smaller national run
    python3 benchmarks/report.py --national 0     # one-kommun rows only

Every measurement runs in a process of its own, timed end to end (interpreter
start, imports, loading, then for the report: validation, coverage,
follow-up status, charts, HTML, writing). The *floor* is the same kind of
process doing only ``goalgraph.load()`` of the same files, measured in the
same run; the ratio report / floor says what the report adds to reading the
data. The one-kommun target is 2 s. The national run writes one HTML file per
kommun with :func:`goalgraph.report.each_kommun` (validation, coverage and
follow-up once for the country, each kommun's section and charts as it is
written). Synthetic graphs come from ``generate.py`` into ``benchmarks/out/``.
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
ROOT = HERE.parent
OUT = HERE / "out"
TARGET = 2.0

FLOOR = """
import json, sys, time
start = time.perf_counter()
import goalgraph
graph = goalgraph.load(*sys.argv[2:])
print(json.dumps({"triples": len(graph), "load": time.perf_counter() - start}))
"""

ONE = """
import json, sys, time
start = time.perf_counter()
import goalgraph
from goalgraph.report import write_report
graph = goalgraph.load(*sys.argv[2:])
loaded = time.perf_counter()
report = write_report(graph, sys.argv[1], inputs=sys.argv[2:])
done = time.perf_counter()
charts = sum(1 for s in report.sections for c in s.indicators if c.values)
print(json.dumps({"triples": len(graph), "load": loaded - start, "report": done - loaded,
                  "charts": charts, "bytes": len(open(sys.argv[1], "rb").read())}))
"""

NATIONAL = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
import goalgraph
from goalgraph.graph import write_atomically
from goalgraph.report import each_kommun, render_html
graph = goalgraph.load(*sys.argv[2:])
loaded = time.perf_counter()
folder = Path(sys.argv[1])
files = charts = size = 0
first = None
for report in each_kommun(graph):
    section = report.sections[0]
    page = render_html(report)
    write_atomically(folder / f"rapport-{section.code}.html", page)
    files += 1
    size += len(page.encode("utf-8"))
    charts += sum(1 for c in section.indicators if c.values)
    if first is None:
        first = time.perf_counter()
done = time.perf_counter()
print(json.dumps({"triples": len(graph), "load": loaded - start, "first": first - loaded,
                  "report": done - loaded, "files": files, "charts": charts, "bytes": size}))
"""


def graph_file(size: int) -> Path:
    """The generated Turtle of *size* kommuner, generated on first use."""
    path = OUT / f"national-{size}.ttl"
    if not path.is_file():
        sys.path.insert(0, str(HERE))
        from generate import write

        write(size, path)
    return path


def run(code: str, target: Path, sources: list[Path]) -> dict[str, float]:
    """Run *code* in a child process with *target* and *sources*; add wall time and peak memory."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(target), *map(str, sources)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed on {sources}")
    result: dict[str, float] = json.loads(output)
    result["wall"] = wall
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print two Markdown tables, and exit 1 if a kommun misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--national", type=int, default=290, metavar="N", help="kommuner in the national run"
    )
    args = parser.parse_args(argv)
    cases = [(name, [ROOT / "examples" / name]) for name in ("vetlanda", "vaggeryd", "norberg")]
    cases.append(("synthetic N = 1", [graph_file(1)]))
    rows: list[dict[str, object]] = []
    missed = 0
    print("One kommun from the files (each a process of its own, wall time end to end):\n")
    print("| data | triples | charts | floor: load | report | report / floor | ≤ 2 s |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, sources in cases:
            floor = run(FLOOR, Path(folder), sources)
            one = run(ONE, Path(folder) / "rapport.html", sources)
            ok = one["wall"] <= TARGET
            missed += not ok
            rows.append({"case": name, "floor": floor, "report": one})
            print(
                f"| {name} | {one['triples']:,} | {one['charts']} | {floor['wall']:.2f} s | "
                f"{one['wall']:.2f} s ({one['load']:.2f} + {one['report']:.2f}) | "
                f"{one['wall'] / floor['wall']:.1f}× | {'yes' if ok else 'NO'} |",
                flush=True,
            )
        if args.national:
            path = graph_file(args.national)
            print(f"\nNational run: {args.national} kommuner, one HTML file each:\n")
            print(
                "| N | triples | files | charts | floor: load | report: wall (load + first "
                "kommun + rest) | per kommun | report / floor | peak |"
            )
            print("|---|---|---|---|---|---|---|---|---|")
            floor = run(FLOOR, Path(folder), [path])
            national = run(NATIONAL, Path(folder), [path])
            rest = national["report"] - national["first"]
            rows.append({"case": f"national-{args.national}", "floor": floor, "report": national})
            print(
                f"| {args.national} | {national['triples']:,} | {national['files']} | "
                f"{national['charts']:,} | {floor['wall']:.2f} s | {national['wall']:.1f} s "
                f"({national['load']:.1f} + {national['first']:.1f} + {rest:.1f}) | "
                f"{national['report'] / national['files']:.2f} s | "
                f"{national['wall'] / floor['wall']:.0f}× | {national['peak_mb']:.0f} MB |",
                flush=True,
            )
    OUT.mkdir(exist_ok=True)
    (OUT / "report-results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
