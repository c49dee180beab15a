"""Namespaces and the project's own terms; a test checks them against ``ontology/graphbuild.ttl``."""

from __future__ import annotations

from rdflib import Namespace

GB_NS = "https://graphbuild.dev/ns#"
ID = "https://graphbuild.dev/id/"

DPV = Namespace("https://w3id.org/dpv#")
PD = Namespace("https://w3id.org/dpv/pd#")
LOC = Namespace("https://w3id.org/dpv/loc#")
EU_GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
DCT = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# Every term of the gb: namespace graphbuild writes. Each must be declared in the ontology file.
GB_TERMS = (
    "Vendor",
    "VendorCategory",
    "RecipientCategory",
    "Evidence",
    "OfficeLocation",
    "OperatingLocation",
    "NegatedPractice",
    "sharesDataWith",
    "providedBy",
    "vendorCategory",
    "headquarteredIn",
    "firstParty",
    "legalEntityName",
    "firstPartyConfidence",
    "firstPartyReason",
    "userHint",
    "sha256",
    "text",
    "extractorVersions",
    "format",
    "retrievedAt",
    "builtAt",
    "extractor",
    "dataLabel",
    "condition",
    "locationKind",
    "safeguard",
    "countryCode",
    "negatedRecipient",
    "negatedProcessing",
    "RightStatement",
    "ChildrenNotice",
    "DateStatement",
    "ContactPoint",
    "DataFlow",
    "negatedTerm",
    "childAgeThreshold",
    "organisationName",
    "parentName",
    "categoryLabel",
    "dataBasis",
    "retentionLabel",
    "ageThreshold",
    "contactEmail",
    "contactKind",
    "postalAddress",
    "hasContactPoint",
    "reaches",
    "parentOrganisation",
    "sentTo",
    "storesDataIn",
    "transfersDataTo",
    "digest",
    "knowledgeVersion",
)
# The DPV terms graphbuild writes; each must be declared in ontology/dpv-terms.ttl.
DPV_TERMS = (
    "PrivacyNotice",
    "Organisation",
    "PersonalDataProcess",
    "Recipient",
    "Location",
    "StorageLocation",
    "StorageDuration",
    "TemporalDuration",
    "UntilEventDuration",
    "IndeterminateDuration",
    "EndlessDuration",
    "CrossBorderTransfer",
    "Share",
    "Collect",
    "Store",
    "Transfer",
    "hasName",
    "hasDataController",
    "hasProcessing",
    "hasDataProcessor",
    "hasRecipientThirdParty",
    "hasRecipient",
    "isSubsidiaryOf",
    "hasStorageCondition",
    "hasDuration",
    "hasLocation",
    "hasThirdCountry",
    "hasPersonalData",
    "hasPurpose",
    "hasLegalBasis",
    "hasRight",
    "hasNonInvolvedEntity",
    "hasDataProtectionOfficer",
    "DataProtectionOfficer",
)


class _Closed:
    """A namespace that refuses undeclared names, so a typo fails at import time, not in a query."""

    def __init__(self, base: str, terms: tuple[str, ...]) -> None:
        self._base = base
        self._terms = frozenset(terms)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._terms:
            raise AttributeError(f"{name} is not a declared term of <{self._base}>")
        return self._base + name

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and iri.startswith(self._base) and iri[len(self._base) :] in self._terms

    @property
    def base(self) -> str:
        """The namespace IRI."""
        return self._base


GB = _Closed(GB_NS, GB_TERMS)
DPVT = _Closed(str(DPV), DPV_TERMS)

PREFIXES = {
    "gb": GB_NS,
    "dpv": str(DPV),
    "pd": str(PD),
    "loc": str(LOC),
    "eu-gdpr": str(EU_GDPR),
    "prov": str(PROV),
    "oa": str(OA),
    "dct": str(DCT),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
}
