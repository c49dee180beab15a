"""SHACL validation of the stored graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

import io

from graphbuild.resources import ontology_file
from graphbuild.store import GraphStore


def validate_store(store: GraphStore) -> tuple[bool, str]:
    """Validate the union of all document graphs; returns ``(conforms, report text)``."""
    from pyshacl import validate
    from rdflib import Graph

    buffer = io.BytesIO()
    store.export(buffer, "ntriples")
    data = Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    shapes = Graph().parse(data=ontology_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    conforms, _graph, text = validate(data, shacl_graph=shapes, inference="none")
    return bool(conforms), str(text)
