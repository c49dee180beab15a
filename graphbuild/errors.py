"""The project's own exceptions; the CLI turns each into a one-line message."""

from __future__ import annotations


class GraphbuildError(Exception):
    """Base class of every error graphbuild raises on purpose."""


class IngestError(GraphbuildError):
    """A source could not be read or made into a document."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(GraphbuildError):
    """The store could not be opened, read or written."""


class StoreInUseError(StoreError):
    """Another process holds the on-disk store open for writing."""


class QueryError(GraphbuildError):
    """A query is unknown, malformed, or got bad parameters."""


class ValidationError(GraphbuildError):
    """The graph does not conform to the SHACL shapes."""
