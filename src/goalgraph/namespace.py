"""The goalgraph vocabulary as Python names, and the IRI patterns goalgraph uses.

``GG`` mirrors ``ontology/goalgraph.ttl`` term for term (a test keeps them in
step); a misspelt term is an error rather than a silently new IRI:

>>> GG.CommitteeGoal
rdflib.term.URIRef('https://w3id.org/goalgraph/ontology#CommitteeGoal')
>>> GG.CommiteeGoal
Traceback (most recent call last):
...
AttributeError: term 'CommiteeGoal' not in namespace 'https://w3id.org/goalgraph/ontology#'

IRIs of reference data live under :data:`REF`; IRIs minted for a
municipality's own data follow ``{ID}{kommunkod}/{kind}/{local id}``
(see :func:`mint`), so importing the same rows twice gives the same IRIs.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["GG", "ID", "KINDS", "REF", "SDG", "SDGO", "kommun_iri", "lan_iri", "mint"]

SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
REF = Namespace("https://w3id.org/goalgraph/ref/")
ID = Namespace("https://w3id.org/goalgraph/id/")

_LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class GG(DefinedNamespace):
    """Terms of the goalgraph ontology (``https://w3id.org/goalgraph/ontology#``)."""

    _NS = Namespace("https://w3id.org/goalgraph/ontology#")
    _fail = True

    Action: URIRef
    AdministrativeUnit: URIRef
    AmbitionLevel: URIRef
    Assessment: URIRef
    AttainmentLevel: URIRef
    Budget: URIRef
    CaseDocument: URIRef
    Challenge: URIRef
    CitizenPerspective: URIRef
    Commitment: URIRef
    Committee: URIRef
    CommitteeGoal: URIRef
    ComprehensivePlan: URIRef
    CouncilGoal: URIRef
    Country: URIRef
    County: URIRef
    DataSource: URIRef
    Decision: URIRef
    DesiredDirection: URIRef
    Document: URIRef
    EnvironmentalScan: URIRef
    ExecutiveBoard: URIRef
    ExecutiveBoardGoal: URIRef
    Forecast: URIRef
    Goal: URIRef
    GoalElement: URIRef
    GoalProgress: URIRef
    GoalRole: URIRef
    GoalStatus: URIRef
    GoverningDocument: URIRef
    Indicator: URIRef
    IndicatorProgress: URIRef
    JointBody: URIRef
    MandatePeriod: URIRef
    MappingStatus: URIRef
    Measurability: URIRef
    MunicipalCompany: URIRef
    MunicipalCouncil: URIRef
    Municipality: URIRef
    NotAvailableReason: URIRef
    Observation: URIRef
    Organisation: URIRef
    Period: URIRef
    Plan: URIRef
    Policy: URIRef
    Programme: URIRef
    ProgressStatus: URIRef
    Region: URIRef
    RegionalDevelopmentStrategy: URIRef
    RegionalStrategyArea: URIRef
    ReportingPoint: URIRef
    ReportingPointType: URIRef
    RollupRule: URIRef
    Sex: URIRef
    StrategicArea: URIRef
    Strategy: URIRef
    SubGoal: URIRef
    SubStrategy: URIRef
    SustainabilityDimension: URIRef
    TargetLevel: URIRef
    Vision: URIRef
    WorkingCommittee: URIRef

    addressedBy: URIRef
    addressesChallenge: URIRef
    adoptedBy: URIRef
    ambitionText: URIRef
    anchoredInGoal: URIRef
    areaContains: URIRef
    areaOf: URIRef
    assessedCount: URIRef
    assessedGoal: URIRef
    atReportingPoint: URIRef
    attainment: URIRef
    baseValue: URIRef
    baseYear: URIRef
    budgetYear: URIRef
    caseNumber: URIRef
    contributesToGoal: URIRef
    contributesToSDG: URIRef
    countyCode: URIRef
    decidedBy: URIRef
    decisionDate: URIRef
    definedIn: URIRef
    desiredDirection: URIRef
    forCounty: URIRef
    forGoal: URIRef
    goalRole: URIRef
    growthRatio: URIRef
    hasAmbitionLevel: URIRef
    hasContributingGoal: URIRef
    hasPerspective: URIRef
    hasVision: URIRef
    identifiedIn: URIRef
    illustrative: URIRef
    implements: URIRef
    implication: URIRef
    inArea: URIRef
    inCounty: URIRef
    indicator: URIRef
    indicatorStructure: URIRef
    koladaId: URIRef
    latestValue: URIRef
    latestYear: URIRef
    mandatePeriod: URIRef
    mappingStatus: URIRef
    measurability: URIRef
    measuredBy: URIRef
    measures: URIRef
    municipality: URIRef
    municipalityCode: URIRef
    notAvailableCount: URIRef
    notAvailableReason: URIRef
    observedGrowthRate: URIRef
    paragraph: URIRef
    progressOfGoal: URIRef
    progressOfIndicator: URIRef
    progressScore: URIRef
    progressStatus: URIRef
    realisesVision: URIRef
    refArea: URIRef
    refYear: URIRef
    relatedDocument: URIRef
    relatesToRegionalArea: URIRef
    remitCovers: URIRef
    reportingDate: URIRef
    reportingPointType: URIRef
    requiredGrowthRate: URIRef
    resources: URIRef
    responsibleOrganisation: URIRef
    rollupRule: URIRef
    sdgIndicator: URIRef
    sex: URIRef
    source: URIRef
    status: URIRef
    subGoalOf: URIRef
    supportedBy: URIRef
    supportsSubStrategy: URIRef
    sustainabilityDimension: URIRef
    targetValue: URIRef
    targetYear: URIRef
    tracedFrom: URIRef
    tracesTo: URIRef
    tracesToArea: URIRef
    tracesToChallenge: URIRef
    tracesToPerspective: URIRef
    tracesToRegionalArea: URIRef
    tracesToSDG: URIRef
    unit: URIRef
    validFrom: URIRef
    validUntil: URIRef
    value: URIRef


def kommun_iri(code: str) -> URIRef:
    """The reference IRI of the municipality with official code *code*.

    >>> kommun_iri("0685")
    rdflib.term.URIRef('https://w3id.org/goalgraph/ref/kommun/0685')
    """
    return REF[f"kommun/{code}"]


def lan_iri(code: str) -> URIRef:
    """The reference IRI of the county with official code *code*.

    >>> lan_iri("06")
    rdflib.term.URIRef('https://w3id.org/goalgraph/ref/lan/06')
    """
    return REF[f"lan/{code}"]


#: The kinds of item a municipality's IRIs are minted for (docs/modelling.md).
KINDS = frozenset(
    {
        "organisation",
        "document",
        "decision",
        "vision",
        "area",
        "goal",
        "commitment",
        "action",
        "substrategy",
        "challenge",
        "ambition",
        "indicator",
        "observation",
        "target-level",
        "reporting-point",
        "assessment",
        # a region's development strategy and its areas, defined in a kommun's own workbook
        "rus",
        "rus-area",
        # a link from an illustrative file, reified as an rdf:Statement; its local id is a
        # hash of the link's subject, predicate and object, so a re-import gives the same IRI
        "statement",
    }
)


def mint(kommun_code: str, kind: str, local_id: str) -> URIRef:
    """The stable IRI of a municipality's own item.

    :param kommun_code: official four-digit municipality code.
    :param kind: one of :data:`KINDS`, e.g. ``goal``, ``substrategy``.
    :param local_id: the row's id, letters, digits, ``.``, ``_`` and ``-`` only.
    :raises ValueError: if *local_id* has other characters, *kind* is not one of
        :data:`KINDS` or *kommun_code* is not four digits.

    >>> mint("0665", "goal", "KF1")
    rdflib.term.URIRef('https://w3id.org/goalgraph/id/0665/goal/KF1')
    """
    if not _LOCAL_ID.match(local_id):
        raise ValueError(f"id {local_id!r} may only contain letters A-Z, digits, '.', '_' and '-'")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
    if not re.fullmatch(r"\d{4}", kommun_code):
        raise ValueError(f"municipality code {kommun_code!r} must be four digits, e.g. 0685")
    return ID[f"{kommun_code}/{kind}/{local_id}"]
