"""Read sources (files, URLs) as bytes and decode them to text with a detected encoding."""

from __future__ import annotations

import codecs
import http.client
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from graphbuild.errors import IngestError
from graphbuild.ingest.fetch import RefusedAddress, fetcher

MAX_BYTES = 20 * 1024 * 1024  # a policy is rarely over 2 MB; anything over 20 MB is not one
URL_TIMEOUT = 15.0  # seconds for any one connect or read
URL_DEADLINE = 60.0  # seconds for the whole response: a server dripping bytes cannot hold a build

# C0 control characters other than whitespace: a text policy has almost none.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")

# Signatures of binary formats people save next to policies.
_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip file",
    b"\x7fELF": "an executable",
}


@dataclass(frozen=True)
class RawSource:
    """Bytes read from one source, with what the transport said about them."""

    source: str
    data: bytes
    declared_charset: str | None = None
    content_type: str | None = None


def is_url(source: str) -> bool:
    """True for http(s) URLs."""
    return source.startswith(("http://", "https://"))


def read_source(source: str, max_bytes: int = MAX_BYTES, allow_private: bool = False) -> RawSource:
    """Read a file or URL, refusing missing, unreadable, empty or oversized input (and URLs of this machine
    or its private network unless ``allow_private``)."""
    if is_url(source):
        return _read_url(source, max_bytes, allow_private)
    path = Path(source)
    if not path.exists():
        if path.is_symlink():
            raise IngestError(source, "broken or looping symbolic link")
        raise IngestError(source, "no such file or directory")
    if not path.is_file():
        raise IngestError(source, "not a regular file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(source, f"file too large ({_mb(size)}; the limit is {_mb(max_bytes)})")
        data = path.read_bytes()
    except PermissionError:
        raise IngestError(source, "permission denied") from None
    except OSError as exc:
        raise IngestError(source, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError(source, "empty file")
    return RawSource(source, data)


def _read_url(url: str, max_bytes: int, allow_private: bool) -> RawSource:
    request = urllib.request.Request(url, headers={"User-Agent": "graphbuild/0.1 (+privacy policy reader)"})
    deadline = time.monotonic() + URL_DEADLINE
    try:
        with fetcher(allow_private).open(request, timeout=URL_TIMEOUT) as response:
            data = _read_body(response, max_bytes, deadline, url)
            charset = response.headers.get_content_charset()
            ctype = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise IngestError(url, f"HTTP {exc.code} {exc.reason}") from None
    except RefusedAddress as exc:
        raise IngestError(url, str(exc)) from None
    except http.client.HTTPException as exc:
        raise IngestError(url, f"cannot fetch: bad HTTP response ({type(exc).__name__}: {exc})"[:300]) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, RefusedAddress):
            raise IngestError(url, str(reason)) from None
        raise IngestError(url, f"cannot fetch: {reason}") from None
    if len(data) > max_bytes:
        raise IngestError(url, f"response too large (over {_mb(max_bytes)})")
    if not data.strip():
        raise IngestError(url, "empty response")
    return RawSource(url, data, charset, ctype)


def _read_body(response: http.client.HTTPResponse, max_bytes: int, deadline: float, url: str) -> bytes:
    """The body, read as it arrives until its end, the size limit or the deadline; a body shorter than its
    Content-Length is an error, not a policy."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise IngestError(url, f"took longer than {URL_DEADLINE:g} s to download")
        chunk = response.read1(65536)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and size < int(declared) and size <= max_bytes:
        raise IngestError(url, f"response cut short ({size} of {declared} bytes)")
    return b"".join(chunks)


def _mb(size: int) -> str:
    """A size in binary megabytes, as the limit is set (20 MB = 20 × 1024 × 1024 bytes)."""
    return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


def decode(raw: RawSource) -> tuple[str, str]:
    """Decode bytes to text, returning ``(text, encoding)``; binary or undecodable input raises."""
    data = raw.data
    head = data.lstrip(b" \t\r\n\x00")  # "\n%PDF-1.7" is still a PDF
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise IngestError(raw.source, f"binary file ({what}), not a text policy")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(raw, encoding), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(raw, utf16), utf16
    if b"\x00" in data[:8192]:
        raise IngestError(raw.source, "binary file (contains NUL bytes), not a text policy")
    if b"\x00" in data:  # a stray NUL further on: text never holds one, and a store would keep it as \u0000
        data = data.replace(b"\x00", b"")
        raw = RawSource(raw.source, data, raw.declared_charset, raw.content_type)
    try:
        return _check_text(raw, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if raw.declared_charset:
        try:
            return _check_text(raw, data.decode(raw.declared_charset)), raw.declared_charset
        except (LookupError, UnicodeDecodeError):
            pass
    if _looks_western(data):
        # Accented Latin letters one byte each ("naïve façade" in Latin-1): the detector guesses Baltic or
        # Cyrillic code pages for short texts, but Windows-1252 (a superset of Latin-1) reads them right.
        try:
            return _check_text(raw, data.decode("cp1252")), "cp1252"
        except UnicodeDecodeError:
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return _check_text(raw, data.decode(best.encoding)), best.encoding
        except (LookupError, UnicodeDecodeError):
            pass
    try:  # the commonest legacy encoding of Western web pages
        return _check_text(raw, data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        raise IngestError(raw.source, "cannot decode: not UTF-8, UTF-16 or a recognisable legacy encoding") from None


# Latin-1 letters with accents (à-ÿ, À-Þ) standing between ASCII letters: "na\xefve", "fa\xe7ade".
_WESTERN = re.compile(rb"[A-Za-z][\xc0-\xd6\xd8-\xf6\xf8-\xff][A-Za-z]")
_HIGH = re.compile(rb"[\x80-\xff]")


def _looks_western(data: bytes) -> bool:
    """True when most non-ASCII bytes are single accented letters inside Latin words."""
    sample = data[:200_000]
    high = len(_HIGH.findall(sample))
    return high > 0 and len(_WESTERN.findall(sample)) * 2 >= high


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _strict(raw: RawSource, encoding: str) -> str:
    try:
        return _check_text(raw, raw.data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise IngestError(raw.source, f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from None


def _check_text(raw: RawSource, text: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file in disguise)."""
    sample = text[:20_000]
    controls = len(_CONTROL_CHARS.findall(sample))
    if sample and controls / len(sample) > 0.02:
        raise IngestError(raw.source, "binary file (control characters), not a text policy")
    if not text.strip():
        raise IngestError(raw.source, "empty file")
    return text
