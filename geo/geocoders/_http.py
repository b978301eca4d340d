"""A geopy HTTP adapter with hard bounds, for services that may misbehave or be hostile.

geopy's own adapters give each socket operation its timeout (a server dripping a byte every
two seconds is never timed out), read the whole body into memory whatever its size, inflate
gzip without a limit, follow redirects to any host, and parse JSON recursively (deep nesting is
a RecursionError). This adapter, on the standard library's ``http.client``:

- gives each request one total deadline (the caller's timeout), enforced on every read;
- reads at most ``max_bytes`` of body, counted after decompression (gzip or deflate, inflated
  incrementally with a bounded output);
- follows at most ``MAX_REDIRECTS`` redirects, and only to the same scheme, host and port;
- refuses JSON nested deeper than ``MAX_JSON_DEPTH`` before parsing it;
- tunnels HTTPS through the system's proxy (``https_proxy``) unless given ``proxies={}``.

Every failure is a geopy ``GeocoderServiceError`` (or ``AdapterHTTPError`` for an HTTP error
status, which geopy maps to its own classes), so callers retry, fall back, and never cache it.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
import zlib
from time import monotonic
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)

MAX_BYTES = 4 * 1024 * 1024  # a Nominatim answer of 40 places is about 40 KB
MAX_REDIRECTS = 3
MAX_JSON_DEPTH = 32
_CHUNK = 64 * 1024
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (strings skipped), without recursion."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads_bounded(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` for untrusted text: too deep a nesting is a parse error, not a crash."""
    if json_depth(text) > max_depth:
        raise GeocoderParseError(f"answer nested deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise GeocoderParseError(f"answer is not JSON ({str(exc)[:80]})") from None


class _Body:
    """Reads a response body within a deadline and a size cap, inflating as it goes."""

    def __init__(self, response: http.client.HTTPResponse, sock: Any, deadline: float,
                 max_bytes: int) -> None:  # fmt: skip
        self.response, self.sock, self.deadline, self.max_bytes = (
            response,
            sock,
            deadline,
            max_bytes,
        )
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self.inflate: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflate = zlib.decompressobj()
        elif encoding == "identity":
            self.inflate = None
        else:
            raise GeocoderServiceError(f"answer in an unknown encoding {encoding[:20]!r}")

    def _remaining(self) -> float:
        left = self.deadline - monotonic()
        if left <= 0:
            raise GeocoderTimedOut("Service timed out (total deadline)")
        return left

    def read(self) -> bytes:
        out = bytearray()
        while True:
            if self.sock is not None:
                self.sock.settimeout(self._remaining())
            try:
                chunk = self.response.read1(_CHUNK)
            except TimeoutError:
                raise GeocoderTimedOut("Service timed out (total deadline)") from None
            except (OSError, http.client.HTTPException) as exc:
                raise GeocoderServiceError(f"answer cut off ({type(exc).__name__})") from None
            self._remaining()
            if not chunk:
                break
            if self.inflate is not None:
                room = self.max_bytes - len(out) + 1
                try:
                    chunk = self.inflate.decompress(chunk, room)
                except zlib.error:
                    raise GeocoderServiceError("answer is not valid compressed data") from None
                if self.inflate.unconsumed_tail:
                    chunk += b"\0"  # more would come out than fits: over the cap
            out += chunk
            if len(out) > self.max_bytes:
                raise GeocoderServiceError(f"answer over {self.max_bytes // 1024} KB")
        return bytes(out)


class BoundedAdapter(BaseSyncAdapter):
    """geopy adapter: one deadline per request, a size cap, same-host redirects only."""

    def __init__(self, *, proxies: Any, ssl_context: Any, max_bytes: int = MAX_BYTES) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.proxies = proxies if isinstance(proxies, dict) else getproxies()
        self.ssl_context = ssl_context if ssl_context is not None else ssl.create_default_context()
        self.max_bytes = max_bytes

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        return loads_bounded(self.get_text(url, timeout=timeout, headers=headers))

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        deadline = monotonic() + float(timeout or 10)
        origin = urlsplit(url)
        for _ in range(MAX_REDIRECTS + 1):
            status, location, body, response_headers = self._get(url, deadline, headers)
            if status in (301, 302, 303, 307, 308) and location:
                target = urlsplit(urljoin(url, location))
                if (target.scheme, target.hostname, target.port) != (
                    origin.scheme,
                    origin.hostname,
                    origin.port,
                ):
                    raise GeocoderServiceError(
                        f"redirect to another host refused ({target.hostname or '?'})"
                    )
                url = target.geturl()
                continue
            text = body.decode("utf-8", "replace")
            if status >= 400:
                raise AdapterHTTPError(
                    f"HTTP {status}", status_code=status, headers=response_headers, text=text
                )
            return text
        raise GeocoderServiceError(f"more than {MAX_REDIRECTS} redirects")

    def _connection(self, parts: Any, deadline: float) -> http.client.HTTPConnection:
        host, port = parts.hostname or "", parts.port
        left = max(0.001, deadline - monotonic())
        proxy = self.proxies.get(parts.scheme) if not proxy_bypass(host) else None
        if parts.scheme == "https":
            if proxy:
                p = urlsplit(proxy)
                conn = http.client.HTTPSConnection(
                    p.hostname or "", p.port or 8080, timeout=left, context=self.ssl_context
                )
                conn.set_tunnel(host, port or 443)
                return conn
            return http.client.HTTPSConnection(host, port, timeout=left, context=self.ssl_context)
        if parts.scheme == "http":
            return http.client.HTTPConnection(host, port, timeout=left)
        raise GeocoderServiceError(f"unsupported URL scheme {parts.scheme!r}")

    def _get(
        self, url: str, deadline: float, headers: dict[str, str]
    ) -> tuple[int, str | None, bytes, dict[str, str]]:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = self._connection(parts, deadline)
        try:
            conn.request("GET", path, headers={**headers, "Accept-Encoding": "gzip, deflate"})
            sock = conn.sock  # getresponse() drops it from conn when the server will close
            if sock is not None:
                sock.settimeout(max(0.001, deadline - monotonic()))
            response = conn.getresponse()
            response_headers = {k.lower(): v for k, v in response.getheaders()}
            body = _Body(response, sock, deadline, self.max_bytes).read()
            return response.status, response.getheader("Location"), body, response_headers
        except TimeoutError:
            raise GeocoderTimedOut("Service timed out") from None
        except (http.client.HTTPException, ssl.SSLError) as exc:
            raise GeocoderServiceError(f"{type(exc).__name__}: {str(exc)[:120]}") from None
        except OSError as exc:  # refused, reset, unreachable, no such host
            raise GeocoderUnavailable(f"Service not available ({exc.strerror or exc})") from None
        finally:
            conn.close()
