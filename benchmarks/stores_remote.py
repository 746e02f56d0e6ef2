"""Benchmark ``validate`` on a SPARQL server beside ``validate`` on the embedded store, in one run.

    python3 benchmarks/stores_remote.py              # N = 290
    python3 benchmarks/stores_remote.py --sizes 1 10

For each N the synthetic national graph (``generate.py``) is loaded once into
the embedded store and once into a local Oxigraph server (``oxigraph serve``
from PyPI, in memory like the embedded store; goalgraph's layout: the
vocabulary graph and the data in a source graph of its own). ``validate()``
then runs on each, timed in this process (loading is not part of the ratio);
on the server only the compiled checks' results and the labels they need come
back. Both must give the same report; the exit code is 1 otherwise. The
target of issue 12 is a ratio of at most 3.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "tests"))


def measure(size: int) -> dict[str, object]:
    """Time validate on the embedded store and on a local Oxigraph server at *size* kommuner."""
    from stores import _graph

    import goalgraph
    from goalgraph.store.remote import RemoteGraph
    from sparql_servers import dataset, running

    data = _graph(size)
    embedded = goalgraph.load(data)
    start = time.perf_counter()
    local = goalgraph.validate(embedded, lang="en")
    local_s = time.perf_counter() - start
    with (
        tempfile.TemporaryDirectory(dir=OUT) as scratch,
        running("oxigraph", Path(scratch), dataset([data]), memory=True) as server,
    ):
        remote = RemoteGraph(server.query_url, timeout=600)
        start = time.perf_counter()
        found = goalgraph.validate(remote, lang="en")
        remote_s = time.perf_counter() - start
        remote.store.close()
    return {
        "N": size,
        "findings": len(local),
        "validate_embedded_s": round(local_s, 2),
        "validate_endpoint_s": round(remote_s, 2),
        "ratio": round(remote_s / local_s, 2),
        "same_results": json.loads(local.to_json()) == json.loads(found.to_json()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[290])
    rows = [measure(size) for size in parser.parse_args().sizes]
    print(f"{'N':>4}  {'findings':>8}  {'embedded':>9}  {'--endpoint':>10}  {'ratio':>6}  same")
    for row in rows:
        print(
            f"{row['N']:>4}  {row['findings']:>8}  {row['validate_embedded_s']:>8}s  "
            f"{row['validate_endpoint_s']:>9}s  {row['ratio']:>6}  {row['same_results']}"
        )
    (OUT / "stores-remote-results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if not all(row["same_results"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
