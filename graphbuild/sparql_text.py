"""What a SPARQL text asks for, read from its tokens (comments, strings and IRIs set aside): its form
(SELECT, ASK, CONSTRUCT, DESCRIBE or an update) and whether it calls a remote ``SERVICE``."""

from __future__ import annotations

import re

from graphbuild.errors import QueryError

# Strings (long and short, either quote), IRIs and comments: keywords inside them are not keywords.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"<[^<>\"{}|^`\\\s]*>|"
    r"#[^\n]*",
    re.S,
)
# A keyword is a bare word: not a variable (?service), a prefixed name (ex:service) or part of one.
_KEYWORD = r"(?<![\w?$:-]){}(?![\w:-])"
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")


def _bare(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return _OPAQUE.sub(" ", sparql)


def _first_keyword(bare: str, words: tuple[str, ...]) -> tuple[int, str] | None:
    found = []
    for word in words:
        m = re.search(_KEYWORD.format(word), bare, re.I)
        if m:
            found.append((m.start(), word))
    return min(found) if found else None


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or ``UPDATE`` (an update names no query form first)."""
    bare = _bare(sparql)
    form = _first_keyword(bare, _FORMS)
    update = _first_keyword(bare, _UPDATES)
    if update is not None and (form is None or update[0] < form[0]):
        return "UPDATE"
    return form[1] if form else "UNKNOWN"


def uses_service(sparql: str) -> bool:
    """True when the query calls a remote endpoint with ``SERVICE``."""
    return re.search(_KEYWORD.format("SERVICE"), _bare(sparql), re.I) is not None


def check_read_query(sparql: str, allow_service: bool = False) -> str:
    """The query's form, or a QueryError for an update, or a SERVICE call unless allowed."""
    form = query_form(sparql)
    if form == "UPDATE":
        raise QueryError("updates are not allowed: queries only read the store ('graphbuild build' writes it)")
    if uses_service(sparql) and not allow_service:
        raise QueryError(
            "SERVICE calls to other endpoints are refused (they let a query fetch any URL); "
            "pass --allow-service to permit them"
        )
    return form
