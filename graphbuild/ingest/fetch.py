"""Fetching policies over HTTP(S) without becoming a way into this machine or its network.

A URL given to ``build`` (or a redirect it follows) must not reach loopback, private, link-local (cloud
metadata services live at 169.254.169.254) or other reserved addresses, unless the user allows it. The
check is made on the address each connection actually reaches, so a name that resolves to a public
address first and a private one later (DNS rebinding) is caught too; redirects may only go to http(s)."""

from __future__ import annotations

import http.client
import ipaddress
import urllib.error
import urllib.request
from functools import cache
from typing import Any


class RefusedAddress(OSError):
    """A connection would reach an address that is not on the public internet."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _check_peer(conn: http.client.HTTPConnection, allow_private: bool) -> None:
    if allow_private or conn.sock is None:
        return
    address = conn.sock.getpeername()[0]
    if not _public(address):
        conn.sock.close()
        conn.sock = None
        raise RefusedAddress(
            f"refused: {conn.host} is at {address}, an address of this machine or a private network "
            "(--allow-private-urls to fetch it anyway)"
        )


def _connections(allow_private: bool) -> tuple[type[http.client.HTTPConnection], type[http.client.HTTPSConnection]]:
    class CheckedHTTP(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            _check_peer(self, allow_private)

    class CheckedHTTPS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            _check_peer(self, allow_private)

    return CheckedHTTP, CheckedHTTPS


class _HTTPRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would also follow one to ftp://)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirect to a non-HTTP URL refused: {newurl}", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@cache
def fetcher(allow_private: bool = False) -> urllib.request.OpenerDirector:
    """An opener for http(s) URLs that checks every address it connects to (unless ``allow_private``)."""
    plain, secure = _connections(allow_private)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(plain, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(secure, req, context=self._context)  # type: ignore[attr-defined]

    opener = urllib.request.OpenerDirector()
    for handler in (
        Handler(),
        SecureHandler(),
        _HTTPRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener
