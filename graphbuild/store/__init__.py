"""Stores behind one interface: the embedded Oxigraph store, a remote SPARQL server, and the read-only
endpoint that serves a snapshot of the embedded store (``graphbuild.store.endpoint``)."""

from __future__ import annotations

from collections.abc import Mapping

from graphbuild.store.base import (
    ALL_GRAPHS,
    DEFAULT_LOCATION,
    EXPORT_FORMATS,
    VERSION_INFIX,
    GraphStore,
    Result,
    Term,
    store_name,
    with_values,
)
from graphbuild.store.embedded import EmbeddedStore
from graphbuild.store.remote import RemoteStore

__all__ = [
    "ALL_GRAPHS",
    "DEFAULT_LOCATION",
    "EXPORT_FORMATS",
    "VERSION_INFIX",
    "EmbeddedStore",
    "GraphStore",
    "RemoteStore",
    "Result",
    "Term",
    "open_store",
    "store_name",
    "with_values",
]


def open_store(
    location: str | None = None, read_only: bool = False, endpoints: Mapping[str, str | None] | None = None
) -> GraphStore:
    """Open the store at ``location``: a path (embedded) or an http(s) SPARQL endpoint (``endpoints``
    may name its query_url, update_url and store_url when they are not Oxigraph's)."""
    location = location or DEFAULT_LOCATION
    if location.startswith(("http://", "https://")):
        return RemoteStore(location, **(endpoints or {}))
    return EmbeddedStore(location, read_only=read_only)
