"""A loopback HTTP server that misbehaves on purpose, for the online geocoder's bounds.

Each path is one behaviour (the query string is ignored):

- ``/drip/search``: headers at once, then one byte of body every ``drip_seconds``, forever;
- ``/bomb/search``: a small gzip body that inflates to ``bomb_bytes`` of JSON-ish spaces;
- ``/big/search``: ``big_bytes`` of plain body;
- ``/deep/search``: a JSON array nested ``deep`` levels;
- ``/object/search``: ``{}`` (valid JSON, not a list of places);
- ``/away/search``: a redirect to the same port on another host name (``localhost``);
- ``/here/search``: a redirect on the same host to ``/object/search``.

    with HostileHTTP() as server:
        NominatimGeocoder(server.url("drip"), timeout=1).geocode("Tripoli")
"""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HostileHTTP:
    def __init__(
        self,
        drip_seconds: float = 0.2,
        bomb_bytes: int = 16 * 1024 * 1024,
        big_bytes: int = 8 * 1024 * 1024,
        deep: int = 100_000,
    ) -> None:
        self.drip_seconds, self.big_bytes, self.deep = drip_seconds, big_bytes, deep
        self.bomb = gzip.compress(b"[" + b" " * bomb_bytes + b"]", compresslevel=9)
        self.requests: list[str] = []
        self._stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner.requests.append(self.path)
                kind = self.path.split("/")[1]
                getattr(owner, f"_{kind}", owner._missing)(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def url(self, kind: str) -> str:
        return f"http://127.0.0.1:{self.port}/{kind}"

    def __enter__(self) -> HostileHTTP:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    # -- behaviours ---------------------------------------------------------------------------

    @staticmethod
    def _head(handler: BaseHTTPRequestHandler, status: int = 200, **headers: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()

    def _drip(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler, Content_Length="1000000")
        try:
            while not self._stop.is_set():
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(self.drip_seconds)
        except OSError:
            pass

    def _bomb(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler, Content_Encoding="gzip", Content_Length=str(len(self.bomb)))
        self._write(handler, self.bomb)

    def _big(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler, Content_Length=str(self.big_bytes))
        chunk = b" " * 65536
        try:
            for _ in range(self.big_bytes // len(chunk)):
                handler.wfile.write(chunk)
        except OSError:
            pass

    def _deep(self, handler: BaseHTTPRequestHandler) -> None:
        body = b"[" * self.deep + b"]" * self.deep
        self._head(handler, Content_Length=str(len(body)))
        self._write(handler, body)

    def _object(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler, Content_Length="2")
        self._write(handler, b"{}")

    def _away(self, handler: BaseHTTPRequestHandler) -> None:
        target = f"http://localhost:{self.port}/object/search"
        self._head(handler, 302, Location=target, Content_Length="0")

    def _here(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler, 302, Location="/object/search", Content_Length="0")

    def _missing(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler, 404, Content_Length="0")

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        try:
            handler.wfile.write(body)
        except OSError:
            pass
