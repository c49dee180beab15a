"""Small HTML builders: text is escaped when it goes in, so policy text and names stay text. Only values
built here (``Markup``) are inserted as they are."""

from __future__ import annotations

import html
from collections.abc import Iterable

Child = "str | Markup | None | Iterable[str | Markup | None]"


class Markup(str):
    """HTML made by these builders (safe to insert); any other ``str`` is text and gets escaped."""


def escape(value: object) -> Markup:
    """``value`` as text in HTML."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value), quote=True))


def _children(children: Iterable[object]) -> str:
    out: list[str] = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, (str, Markup)) or not isinstance(child, Iterable):
            out.append(escape(child))
        else:
            out.append(_children(child))
    return "".join(out)


def el(tag: str, attrs: dict[str, object] | None = None, *children: object) -> Markup:
    """``<tag attrs>children</tag>``; attribute values and text children are escaped."""
    attributes = "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in (attrs or {}).items()
        if value is not None and value is not False
    )
    if tag in ("meta", "link", "br", "hr", "img", "input"):
        return Markup(f"<{tag}{attributes}>")
    return Markup(f"<{tag}{attributes}>{_children(children)}</{tag}>")


def join(parts: Iterable[object]) -> Markup:
    """Several children as one piece of HTML."""
    return Markup(_children(parts))


def page(title: str, body: object, *, scripts: Iterable[str] = (), description: str = "") -> Markup:
    """A whole page that loads the shared assets from ``assets/`` beside it (relative: opens from file://)."""
    head = join(
        [
            el("meta", {"charset": "utf-8"}),
            el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            el("title", None, title),
            el("meta", {"name": "description", "content": description}) if description else None,
            el("link", {"rel": "stylesheet", "href": "assets/graphbuild.css"}),
        ]
    )
    tail = join(el("script", {"src": f"assets/{name}"}) for name in (*scripts, "graphbuild.js"))
    return Markup(
        f"<!doctype html>\n<html lang='en'><head>{head}</head><body>{_children([body])}{tail}</body></html>\n"
    )
