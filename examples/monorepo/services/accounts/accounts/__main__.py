import http.server
import os


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"accounts\n")


http.server.HTTPServer(("", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
