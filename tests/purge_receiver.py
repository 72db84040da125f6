"""Varnish's side of a purge, for tests: a real HTTP server on loopback recording each BAN."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class BanReceiver:
    """Records the ``Surrogate-Key`` of each BAN while it is up (a ``with`` block)."""

    def __init__(self, port: int):
        self.port, self.received = port, []

    def __enter__(self):
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_BAN(self):
                received.append(self.headers["Surrogate-Key"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
