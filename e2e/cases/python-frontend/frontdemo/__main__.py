"""Serve STATIC_DIR (the frontend stage's output) over HTTP on port 8000.

/whoami says who serves the files and who owns them: the app runs as uid
10001 and the files it serves are root's, so it cannot rewrite them.
"""

import functools
import http.server
import os

STATIC = os.environ.get("STATIC_DIR", "/app/static")


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/whoami":
            return super().do_GET()
        owner = os.stat(os.path.join(STATIC, "index.html")).st_uid
        body = f"served from {STATIC} by uid {os.getuid()}; index.html owned by uid {owner}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    handler = functools.partial(Handler, directory=STATIC)
    http.server.ThreadingHTTPServer(("0.0.0.0", 8000), handler).serve_forever()


if __name__ == "__main__":
    main()
