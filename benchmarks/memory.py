"""Peak memory of loading a large Turtle file, as a multiple of the file's size.

Writes a synthetic Turtle file of about SIZE (default 300MB) into a temporary folder
(goals with Swedish labels and links, indicators with yearly observations), then
loads it in a fresh process with :func:`goalgraph.load` (streamed from the path) and,
as the reference measured in the same run, with the whole file read into memory
first (what loading did before). Each process's peak resident memory (``ru_maxrss``)
is printed beside the file size and their ratio, and the baseline of a process that
loads an empty file, so that the interpreter's and the libraries' own memory can be
told apart from the data's.

    PYTHONPATH=src python3 benchmarks/memory.py            # about 300 MB
    PYTHONPATH=src python3 benchmarks/memory.py 50MB
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src"

_PREFIXES = """\
@prefix gg: <https://w3id.org/goalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix k: <https://w3id.org/goalgraph/data/0685/> .
"""

_BLOCK = """\
k:goal-{i} a gg:NamndGoal ;
    rdfs:label "Mål {i}: fler invånare ska uppleva trygghet i sin vardag"@sv ;
    gg:contributesTo k:kf-{kf} ; gg:hasIndicator k:ind-{i} .
k:ind-{i} a gg:Indicator ; rdfs:label "Nyckeltal {i}, andel (%)"@sv .
k:obs-{i}-2021 a gg:Observation ; gg:ofIndicator k:ind-{i} ; gg:value "{v1}"^^xsd:decimal ;
    gg:date "2021-12-31"^^xsd:date .
k:obs-{i}-2022 a gg:Observation ; gg:ofIndicator k:ind-{i} ; gg:value "{v2}"^^xsd:decimal ;
    gg:date "2022-12-31"^^xsd:date .
"""

# Each measurement runs in its own interpreter, so one's peak cannot hide another's.
_STREAMED = """
import sys
from goalgraph.loading import load
graph = load(sys.argv[1], vocabulary=False)
print(len(graph))
"""
_WHOLE = """
import sys
from pathlib import Path
import pyoxigraph as ox
store = ox.Store()
data = Path(sys.argv[1]).read_bytes()
data.decode("utf-8")
store.load(data, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:data"))
print(len(store))
"""


def write_turtle(path: Path, size: int) -> int:
    """Write about *size* bytes of goal data as Turtle to *path*; the number of blocks."""
    blocks = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(_PREFIXES)
        written = len(_PREFIXES)
        while written < size:
            text = "".join(
                _BLOCK.format(i=i, kf=i % 97, v1=i % 1000 / 10, v2=(i * 7) % 1000 / 10)
                for i in range(blocks, blocks + 1000)
            )
            out.write(text)
            written += len(text.encode("utf-8"))
            blocks += 1000
    return blocks


def peak_memory(script: str, path: Path) -> tuple[int, str]:
    """Peak resident bytes of a fresh interpreter running *script* on *path*, and its output."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024\n"
        "print(peak, done.returncode, done.stdout.strip(), done.stderr.strip()[-300:], sep='|')\n"
    )
    command = [sys.executable, "-c", probe, sys.executable, "-c", script, str(path)]
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SOURCE)}
    )
    peak, code, out, err = result.stdout.strip().split("|", 3)
    if code != "0":
        raise RuntimeError(f"the load failed: {err}")
    return int(peak), out


def main() -> None:
    """Generate the file, measure both ways of loading it and print the ratios."""
    from goalgraph.limits import format_size, parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("size", nargs="?", default="300MB", help="file size, e.g. 50MB (300MB)")
    try:
        size = parse_size(parser.parse_args().size)
    except ValueError as exc:
        parser.error(str(exc))
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.ttl"
        empty.write_text(_PREFIXES, encoding="utf-8")
        big = Path(folder) / "big.ttl"
        write_turtle(big, size)
        file_size = big.stat().st_size
        baseline, _ = peak_memory(_STREAMED, empty)
        streamed, triples = peak_memory(_STREAMED, big)
        whole, _ = peak_memory(_WHOLE, big)
    results = {
        "file": file_size,
        "triples": int(triples),
        "baseline_peak": baseline,
        "streamed_peak": streamed,
        "whole_file_peak": whole,
        "streamed_ratio": round(streamed / file_size, 2),
        "whole_file_ratio": round(whole / file_size, 2),
    }
    print(f"file: {format_size(file_size)}, {int(triples):,} triples")
    print(f"baseline (empty file): peak {format_size(baseline)}")
    print(f"streamed load:   peak {format_size(streamed)} = {streamed / file_size:.2f} x the file")
    print(f"whole-file load: peak {format_size(whole)} = {whole / file_size:.2f} x the file")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
