"""The project's own exceptions; the CLI turns each into a one-line message."""

from __future__ import annotations


def printable(text: str) -> str:
    """Text safe to print or store: a file name that is not UTF-8 ("x\\xff.txt") shows its odd bytes as \ufffd."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class GraphbuildError(Exception):
    """Base class of every error graphbuild raises on purpose."""


class IngestError(GraphbuildError):
    """A source could not be read or made into a document."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{printable(source)}: {reason}")
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
