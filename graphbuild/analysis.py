"""Graph analysis with networkx over the named queries: vendor concentration, shared vendors,
blast radius of a vendor breach, communities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities

from graphbuild.queries import rows_as_dicts, run_named
from graphbuild.store import GraphStore


@dataclass(frozen=True)
class Concentration:
    """How central an organisation is: companies reaching it, degree and betweenness centrality."""

    organisation: str
    parent: str | None
    companies: int
    degree: float
    betweenness: float


@dataclass(frozen=True)
class Similarity:
    """Two companies and the organisations they both share data with (Jaccard over organisations)."""

    company_a: str
    company_b: str
    jaccard: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class BlastRadius:
    """What a breach at an organisation (or any organisation under a parent) would expose."""

    organisation: str
    companies: tuple[str, ...]
    data: tuple[str, ...]
    countries: tuple[str, ...]
    through: tuple[str, ...]  # the organisations under it that the companies reach


@dataclass
class Analysis:
    """Everything ``graphbuild analyze`` reports."""

    concentration: list[Concentration] = field(default_factory=list)
    similarity: list[Similarity] = field(default_factory=list)
    blast_radius: list[BlastRadius] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return asdict(self)


_EXACT_BETWEENNESS = 500  # nodes up to which betweenness is computed exactly
_BETWEENNESS_SAMPLE = 200  # source nodes sampled beyond that


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def company_vendor_graph(store: GraphStore, vendors: list[dict[str, str | None]] | None = None) -> nx.Graph:
    """Companies – organisations – parent organisations, from the ``vendors`` named query (or its rows)."""
    g = nx.Graph()
    for row in vendors if vendors is not None else rows_as_dicts(run_named(store, "vendors")):
        company, org, parent = row["company"], row["vendor_org"], row["parent"]
        if not company or not org:
            continue
        g.add_node(f"company:{company}", kind="company", label=company)
        if f"org:{org}" not in g:
            g.add_node(f"org:{org}", kind="organisation", label=org, parent=None)
        g.add_edge(f"company:{company}", f"org:{org}")
        if parent and parent != org:
            # one node per organisation: Microsoft is both a vendor and LinkedIn's parent
            if f"org:{parent}" not in g:
                g.add_node(f"org:{parent}", kind="organisation", label=parent, parent=None)
            g.nodes[f"org:{org}"]["parent"] = f"org:{parent}"
            g.add_edge(f"org:{org}", f"org:{parent}")
    return g


def _subsidiaries(g: nx.Graph, node: str) -> list[str]:
    """The organisation itself and every organisation whose parent it is."""
    return [node] + sorted(n for n in g.neighbors(node) if g.nodes[n].get("parent") == node)


def analyse(store: GraphStore, top: int = 20) -> Analysis:
    """Run every analysis; ``top`` limits the concentration and similarity lists."""
    vendors = rows_as_dicts(run_named(store, "vendors"))
    g = company_vendor_graph(store, vendors)
    result = Analysis()
    if g.number_of_nodes() == 0:
        return result
    result.concentration = _concentration(g)[:top]
    result.similarity = _similarity(g)[:top]
    result.blast_radius = blast_radius(store, g, vendors=vendors)
    result.communities = _communities(g)
    return result


def _companies_reaching(g: nx.Graph, node: str) -> set[str]:
    """Companies linked to an organisation directly or through its subsidiaries."""
    return {
        g.nodes[c]["label"]
        for org in _subsidiaries(g, node)
        for c in g.neighbors(org)
        if g.nodes[c]["kind"] == "company"
    }


def _concentration(g: nx.Graph) -> list[Concentration]:
    degree = nx.degree_centrality(g)
    # Exact betweenness is O(nodes × edges): 25 s at a thousand policies. Beyond a few hundred nodes it is
    # estimated from a fixed sample of sources (a fixed seed, so the same store gives the same figures).
    sample = None if g.number_of_nodes() <= _EXACT_BETWEENNESS else _BETWEENNESS_SAMPLE
    betweenness = nx.betweenness_centrality(g, k=sample, normalized=True, seed=7 if sample else None)
    rows = [
        Concentration(
            g.nodes[n]["label"],
            g.nodes[g.nodes[n]["parent"]]["label"] if g.nodes[n]["parent"] else None,
            len(_companies_reaching(g, n)),
            round(degree[n], 4),
            round(betweenness[n], 4),
        )
        for n in g.nodes
        if g.nodes[n]["kind"] != "company"
    ]
    return sorted(rows, key=lambda r: (-r.companies, -r.betweenness, r.organisation))


def _similarity(g: nx.Graph) -> list[Similarity]:
    orgs: dict[str, set[str]] = {
        g.nodes[n]["label"]: {g.nodes[o]["label"] for o in g.neighbors(n)}
        for n in g.nodes
        if g.nodes[n]["kind"] == "company"
    }
    rows = []
    for a, b in combinations(sorted(orgs), 2):
        shared = orgs[a] & orgs[b]
        if shared:
            jaccard = len(shared) / len(orgs[a] | orgs[b])
            rows.append(Similarity(a, b, round(jaccard, 4), tuple(sorted(shared))))
    return sorted(rows, key=lambda r: (-r.jaccard, -len(r.shared), r.company_a, r.company_b))


def blast_radius(
    store: GraphStore,
    g: nx.Graph | None = None,
    organisation: str | None = None,
    vendors: list[dict[str, str | None]] | None = None,
) -> list[BlastRadius]:
    """For each organisation and parent (or just ``organisation``): the companies, data categories and
    countries a breach there would reach, following parent organisations down to their subsidiaries."""
    vendors = vendors if vendors is not None else rows_as_dicts(run_named(store, "vendors"))
    g = g if g is not None else company_vendor_graph(store, vendors)
    data: dict[tuple[str, str], set[str]] = defaultdict(set)
    countries: dict[tuple[str, str], set[str]] = defaultdict(set)
    vendor_org = {r["vendor"]: r["vendor_org"] for r in vendors}
    for row in rows_as_dicts(run_named(store, "vendor_exposure")):
        key = (vendor_org.get(row["vendor"]) or row["vendor"] or "", row["company"] or "")
        data[key] |= set(_split(row["data"]))
        countries[key] |= set(_split(row["countries"]))
    found = []
    for node in sorted(g.nodes):
        kind, label = g.nodes[node]["kind"], g.nodes[node]["label"]
        if kind == "company" or (organisation is not None and label != organisation):
            continue
        orgs = [g.nodes[n]["label"] for n in _subsidiaries(g, node)]
        companies = _companies_reaching(g, node)
        keys = [(o, c) for o in orgs for c in companies]
        found.append(
            BlastRadius(
                label,
                tuple(sorted(companies)),
                tuple(sorted(set().union(*(data[k] for k in keys)) if keys else set())),
                tuple(sorted(set().union(*(countries[k] for k in keys)) if keys else set())),
                tuple(orgs),
            )
        )
    return sorted(found, key=lambda r: (-len(r.companies), -len(r.data), r.organisation))


def _communities(g: nx.Graph) -> list[list[str]]:
    """Groups of companies and organisations more linked to each other than to the rest (greedy modularity)."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes(data=True)))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    if ordered.number_of_edges() == 0:
        return []
    groups = greedy_modularity_communities(ordered)
    named = [sorted(ordered.nodes[n]["label"] for n in group) for group in groups]
    return sorted(named, key=lambda c: (-len(c), c))
