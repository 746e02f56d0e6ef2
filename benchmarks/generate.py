"""Generate a synthetic national goal graph of N kommuner as Turtle.

Each kommun gets a vision, 3 riktningar, 10 KF goals, 6 challenges, 15
delstrategier, 10 nämnder with 8 goals each, 2 KS goals, 100 indicators with
10 yearly observations each. About 5 % of the nämnd goals miss one link, and
a few items break other rules (period, KS rules, follow-up), so every shape
family has findings. The output is deterministic for a given N and seed.

    python3 benchmarks/generate.py 10 > benchmarks/out/national-10.ttl
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

COUNTIES = [
    "01",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "12",
    "13",
    "14",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
]
REFERENCE_RUS = {
    "06": ["hallbar", "attraktiv", "tillganglig", "smart", "kompetent", "global"],
    "19": ["valmaende", "tillgangligt", "nyskapande"],
}
TARGETS = [
    "1.1",
    "3.4",
    "4.1",
    "5.5",
    "8.5",
    "9.1",
    "10.2",
    "11.1",
    "11.3",
    "11.7",
    "12.5",
    "13.1",
    "16.7",
    "17.17",
]
PERSPECTIVES = ["bo", "leva", "verka"]
SOURCES = ["kolada", "scb", "folkhalsomyndigheten", "local"]
DIRECTIONS = ["increase", "decrease", "neutral"]

HEADER = """@prefix gg: <https://w3id.org/goalgraph/ontology#> .
@prefix ref: <https://w3id.org/goalgraph/ref/> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def kommun_codes(n: int) -> list[tuple[str, str]]:
    """(kommun code, county code) for *n* synthetic kommuner spread over the 21 counties."""
    return [(f"{COUNTIES[i % 21]}{70 + i // 21:02d}", COUNTIES[i % 21]) for i in range(n)]


def rus_areas(county: str) -> list[str]:
    """The IRIs (in ref: form) of the RUS areas of *county*."""
    names = REFERENCE_RUS.get(county, ["a", "b", "c"])
    return [f"ref:rus\\/{county}\\/{name}" for name in names]


def _rus(county: str) -> str:
    if county in REFERENCE_RUS:
        return ""
    lines = [
        f"ref:rus\\/{county} a gg:RegionalDevelopmentStrategy ; gg:forCounty ref:lan\\/{county} ;"
        f' rdfs:label "RUS {county}"@sv .'
    ]
    for area in rus_areas(county):
        lines.append(
            f"{area} a gg:RegionalStrategyArea ; gg:areaOf ref:rus\\/{county} ;"
            f' rdfs:label "Område {area[-1]}"@sv .'
        )
    return "\n".join(lines) + "\n"


def _item(iri: str, cls: str, code: str, ident: str, label: str) -> str:
    return (
        f'{iri} a gg:{cls} ; gg:municipality ref:kommun\\/{code} ; dcterms:identifier "{ident}" ;'
        f' rdfs:label "{label}"@sv'
    )


def kommun(code: str, county: str, rng: random.Random) -> str:
    """Turtle for one kommun's goal chain and follow-up."""
    b = f"k{code}:"  # a prefix per kommun keeps the file (and its parsing) small
    out = [
        f"@prefix k{code}: <https://w3id.org/goalgraph/id/{code}/> .",
        f"ref:kommun\\/{code} a gg:Municipality ; gg:inCounty ref:lan\\/{county} ;"
        f' gg:municipalityCode "{code}" ; rdfs:label "Kommun {code}"@sv .',
    ]
    out.append(_item(f"{b}vision\\/V", "Vision", code, "V", "Vision") + " .")
    for a in range(1, 4):
        out.append(
            _item(f"{b}area\\/A{a}", "StrategicArea", code, f"A{a}", f"Riktning {a}")
            + f" ; gg:realisesVision {b}vision\\/V ."
        )
    for k in range(1, 11):
        out.append(
            _item(f"{b}goal\\/KF{k}", "CouncilGoal", code, f"KF{k}", f"KF-mål {k}")
            + f" ; gg:inArea {b}area\\/A{k % 3 + 1} ; gg:mandatePeriod ref:period\\/2022-2026 ."
        )
    for c in range(1, 7):
        out.append(
            _item(f"{b}challenge\\/C{c}", "Challenge", code, f"C{c}", f"Utmaning {c}") + " ."
        )
    areas = rus_areas(county)
    for s in range(1, 16):
        out.append(
            _item(f"{b}substrategy\\/S{s}", "SubStrategy", code, f"S{s}", f"Delstrategi {s}")
            + f" ; gg:inArea {b}area\\/A{s % 3 + 1} ; gg:hasPerspective ref:perspective\\/"
            f"{PERSPECTIVES[s % 3]} ; gg:contributesToSDG sdg:{TARGETS[s % len(TARGETS)]} ;"
            f" gg:addressesChallenge {b}challenge\\/C{s % 6 + 1} ;"
            f" gg:relatesToRegionalArea {areas[s % len(areas)]} ."
        )
    for n in range(1, 11):
        out.append(
            _item(f"{b}organisation\\/N{n}", "Committee", code, f"N{n}", f"Nämnd {n}")
            + f" ; gg:remitCovers {b}area\\/A{n % 3 + 1} ."
        )
    for i in range(1, 101):
        direction = (
            ""
            if rng.random() < 0.01
            else f" ; gg:desiredDirection ref:direction\\/{DIRECTIONS[i % 3]}"
        )
        out.append(
            _item(f"{b}indicator\\/I{i}", "Indicator", code, f"I{i}", f"Nyckeltal {i}")
            + f" ; gg:source ref:source\\/{SOURCES[i % 4]}{direction} ."
        )
        for year in range(2015, 2025):
            out.append(
                f"{b}observation\\/I{i}-{year} a gg:Observation ;"
                f" gg:indicator {b}indicator\\/I{i} ;"
                f' gg:refArea ref:kommun\\/{code} ; gg:refYear "{year}"^^xsd:gYear ;'
                f" gg:value {rng.randint(0, 9999) / 10} ."
            )
    for n in range(1, 11):
        for g in range(1, 9):
            ident = f"N{n}-{g}"
            links = {
                "contributesToGoal": f"{b}goal\\/KF{(n + g) % 10 + 1}",
                "supportsSubStrategy": f"{b}substrategy\\/S{(n * g) % 15 + 1}",
                "relatesToRegionalArea": areas[(n + g) % len(areas)],
            }
            if rng.random() < 0.05:
                del links[rng.choice(sorted(links))]
            parts = [
                _item(f"{b}goal\\/{ident}", "CommitteeGoal", code, ident, f"Nämndmål {ident}"),
                f"gg:responsibleOrganisation {b}organisation\\/N{n}",
            ]
            parts += [f"gg:{p} {o}" for p, o in links.items()]
            until = "2028-12-31" if rng.random() < 0.01 else "2026-10-14"
            parts.append(f'gg:validFrom "2023-01-01"^^xsd:date ; gg:validUntil "{until}"^^xsd:date')
            if g == 1:
                parts.append(
                    f"gg:goalRole ref:goal-role\\/steering ; gg:measurability"
                    f" ref:measurability\\/quantitative ; gg:measuredBy {b}indicator\\/I{n * 8}"
                    f' ; gg:hasAmbitionLevel {b}ambition\\/{ident} ; gg:resources "Budget"@sv'
                    f" ; gg:inArea {b}area\\/A{n % 3 + 1}"
                )
                out.append(f"{b}ambition\\/{ident} a gg:AmbitionLevel .")
            out.append(" ;\n    ".join(parts) + " .")
    out.append(
        _item(f"{b}goal\\/KS1", "ExecutiveBoardGoal", code, "KS1", "KS-mål 1")
        + f" ; gg:contributesToGoal {b}goal\\/KF1 ; gg:goalRole ref:goal-role\\/guiding ."
    )
    missing = "" if rng.random() < 0.5 else ' ; gg:resources "Budget"@sv'
    out.append(
        _item(f"{b}goal\\/KS2", "ExecutiveBoardGoal", code, "KS2", "KS-mål 2")
        + f" ; gg:contributesToGoal {b}goal\\/KF2 ; gg:goalRole ref:goal-role\\/steering ;"
        f" gg:measuredBy {b}indicator\\/I1 ; gg:hasAmbitionLevel {b}ambition\\/KS2"
        f" ; gg:responsibleOrganisation {b}organisation\\/N1{missing} ."
    )
    out.append(f"{b}ambition\\/KS2 a gg:AmbitionLevel .")
    return "\n".join(out) + "\n"


def generate(n: int, *, seed: int = 2026) -> str:
    """The Turtle text of a national graph of *n* kommuner.

    >>> "gg:CommitteeGoal" in generate(1)
    True
    """
    rng = random.Random(seed)
    codes = kommun_codes(n)
    counties = sorted({county for _, county in codes})
    return (
        HEADER
        + "".join(_rus(c) for c in counties)
        + "".join(kommun(code, county, rng) for code, county in codes)
    )


def write(n: int, path: Path, *, seed: int = 2026) -> Path:
    """Write the graph of *n* kommuner to *path* (created with its folder) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(n, seed=seed), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
