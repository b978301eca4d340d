"""A small fake Nominatim on loopback: real HTTP for geopy's real client, no internet.

``FakeNominatim`` serves ``GET /search`` (``format=json``) from canned records shaped like
Nominatim's answers (ids and numbers are illustrative, not copied from OpenStreetMap), counts
every request, and can be told to misbehave: the next requests, or every request, can be
``"timeout"`` (answer only after ``slow_seconds``), ``"400"``, ``"429"``, ``"500"``, ``"malformed"``
(HTTP 200 with a body that is not JSON), ``"garbage-records"`` (valid JSON, records without
coordinates) or ``"empty"`` (``[]``).

    with FakeNominatim() as fake:
        fake.fail_next("429")
        Nominatim(domain=fake.domain, scheme="http", ...).geocode("Tripoli")
        assert fake.count("/search") == 2
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULTS = ("timeout", "400", "429", "500", "malformed", "garbage-records", "empty")


def _record(
    place_id: int,
    osm_type: str,
    osm_id: int,
    lat: str,
    lon: str,
    name: str,
    display_name: str,
    cls: str,
    typ: str,
    addresstype: str,
    country_code: str | None,
    importance: float,
    extratags: dict[str, str] | None = None,
) -> dict[str, Any]:
    address: dict[str, str] = {addresstype: name}
    if country_code:
        address["country_code"] = country_code
    return {
        "place_id": place_id,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": osm_type,
        "osm_id": osm_id,
        "lat": lat,
        "lon": lon,
        "class": cls,
        "type": typ,
        "place_rank": 16,
        "importance": importance,
        "addresstype": addresstype,
        "name": name,
        "display_name": display_name,
        "address": address,
        "extratags": extratags or {},
        "boundingbox": [lat, lat, lon, lon],
    }


CANNED: dict[str, list[dict[str, Any]]] = {
    "tripoli": [
        _record(
            1001,
            "relation",
            9001,
            "32.8966",
            "13.1777",
            "Tripoli",
            "Tripoli, Libya",
            "boundary",
            "administrative",
            "city",
            "ly",
            0.71,
            {"population": "1150989"},
        ),
        _record(
            1002,
            "node",
            9002,
            "34.4367",
            "35.8497",
            "Tripoli",
            "Tripoli, North Governorate, Lebanon",
            "place",
            "city",
            "city",
            "lb",
            0.55,
            {"population": "229398"},
        ),
    ],
    "tobruk": [
        _record(
            1003,
            "node",
            9003,
            "32.0836",
            "23.9764",
            "Tobruk",
            "Tobruk, Libya",
            "place",
            "city",
            "city",
            "ly",
            0.52,
        ),
    ],
    "libya": [
        _record(
            1004,
            "relation",
            9004,
            "26.8234",
            "18.1236",
            "Libya",
            "Libya",
            "boundary",
            "administrative",
            "country",
            "ly",
            0.84,
        ),
    ],
    "mediterranean sea": [
        _record(
            1005,
            "relation",
            9005,
            "35.0000",
            "18.0000",
            "Mediterranean Sea",
            "Mediterranean Sea",
            "place",
            "sea",
            "sea",
            None,
            0.78,
        ),
    ],
}


class FakeNominatim:
    """A threaded HTTP server on 127.0.0.1 (ephemeral port) pretending to be Nominatim."""

    def __init__(
        self, answers: dict[str, list[dict[str, Any]]] | None = None, *, slow_seconds: float = 2.0
    ) -> None:
        self.answers = {k.casefold(): v for k, v in (answers or CANNED).items()}
        self.slow_seconds = slow_seconds
        self.requests: list[dict[str, Any]] = []
        self.always: str | None = None
        self._next: deque[str] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    def fail_next(self, *faults: str) -> None:
        """Misbehave on the next requests, one fault each, in order."""
        for fault in faults:
            if fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r} (choose from {FAULTS})")
        with self._lock:
            self._next.extend(faults)

    def count(self, path: str = "/search") -> int:
        """How many requests reached ``path`` so far."""
        with self._lock:
            return sum(1 for r in self.requests if r["path"] == path)

    def start(self) -> FakeNominatim:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes any handler sleeping in a "timeout" fault
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> FakeNominatim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _take_fault(self) -> str | None:
        with self._lock:
            return self._next.popleft() if self._next else self.always

    def _answer(self, params: dict[str, list[str]]) -> list[dict[str, Any]]:
        query = " ".join(params.get("q", [""])[0].split()).casefold()
        records = [dict(r) for r in self.answers.get(query, [])]
        codes = params.get("countrycodes", [""])[0]
        if codes:
            wanted = set(codes.lower().split(","))
            records = [r for r in records if r.get("address", {}).get("country_code") in wanted]
        if params.get("addressdetails", ["0"])[0] != "1":
            for r in records:
                r.pop("address", None)
        if params.get("extratags", ["0"])[0].lower() not in ("1", "true"):
            for r in records:
                r.pop("extratags", None)
        limit = int(params.get("limit", ["10"])[0])
        return records[:limit]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                with fake._lock:
                    fake.requests.append(
                        {
                            "path": parts.path,
                            "params": {k: v[0] for k, v in params.items()},
                            "user_agent": self.headers.get("User-Agent"),
                        }
                    )
                if parts.path != "/search":
                    return self._send(404, b'{"error": "not found"}')
                fault = fake._take_fault()
                if fault == "timeout":
                    if fake._stopping.wait(fake.slow_seconds):
                        return
                    fault = None
                if fault == "400":
                    return self._send(400, b'{"error": {"code": 400, "message": "Bad query"}}')
                if fault == "429":
                    return self._send(429, b"Too Many Requests", extra={"Retry-After": "0"})
                if fault == "500":
                    return self._send(500, b"<html>Internal Server Error</html>", "text/html")
                if fault == "malformed":
                    return self._send(200, b'[{"place_id": 1, "lat": "32.9", ')
                if fault == "garbage-records":
                    return self._send(200, b'[{"place_id": 1, "name": "no coordinates"}]')
                if fault == "empty":
                    return self._send(200, b"[]")
                body = json.dumps(fake._answer(params), ensure_ascii=False).encode()
                return self._send(200, body)

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str = "application/json; charset=utf-8",
                extra: dict[str, str] | None = None,
            ) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in (extra or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to answer

        return Handler
