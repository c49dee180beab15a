"""The one place that resolves packaged data: ontology/, queries/ and the knowledge files."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def ontology_file(name: str) -> Traversable:
    """A file of ``ontology/`` (shipped as ``graphbuild.ontology``)."""
    return resources.files("graphbuild._ontology").joinpath(name)


def queries_dir() -> Traversable:
    """The folder of named ``.rq`` queries (shipped as ``graphbuild.queries``)."""
    return resources.files("graphbuild._queries")


def knowledge_file(name: str) -> Traversable:
    """A data file of the knowledge base."""
    return resources.files("graphbuild.knowledge").joinpath(name)
