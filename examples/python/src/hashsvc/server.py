"""A tiny JSON API over the C hashes, on the standard library's HTTP server.

    GET /healthz               -> ok
    GET /hash?text=hello       -> {"text": "hello", "fnv1a32": "...", "fnv1a64": "..."}
    POST /hash  (raw body)     -> same, hashing the request body
"""

import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import __version__, fnv1a32, fnv1a64

MAX_BODY = 1 << 20


def digest(data: bytes) -> dict:
    return {"fnv1a32": "%08x" % fnv1a32(data), "fnv1a64": "%016x" % fnv1a64(data)}


class Handler(BaseHTTPRequestHandler):
    server_version = "hashsvc/" + __version__

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: dict) -> None:
        self._send(status, (json.dumps(obj, sort_keys=True) + "\n").encode())

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/healthz":
            self._send(200, b"ok\n", "text/plain")
        elif url.path == "/hash":
            text = parse_qs(url.query).get("text", [""])[0]
            self._json(200, dict(text=text, **digest(text.encode())))
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/hash":
            self._json(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(413, {"error": "body too large"})
            return
        data = self.rfile.read(length)
        self._json(200, dict(bytes=len(data), **digest(data)))

    def log_message(self, fmt: str, *args) -> None:
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main() -> None:
    port = int(os.environ.get("PORT", "8000"))
    httpd = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    # docker stop sends SIGTERM: shut down cleanly instead of being killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("hashsvc %s listening on :%d" % (__version__, port), flush=True)
    try:
        httpd.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
