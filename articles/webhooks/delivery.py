"""One HTTP POST of a signed webhook body to the address that passed the checks.

The connection goes to the address ``addresses.resolve`` approved (with the URL's host in
``Host`` and in TLS's SNI and certificate check), redirects are not followed, the answer is read
only up to ``MAX_RESPONSE_BYTES``, and every socket operation has a timeout.
"""

import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from articles.webhooks import signing
from articles.webhooks.addresses import RefusedAddress, resolve, split_url

MAX_RESPONSE_BYTES = 2000
USER_AGENT = "Newsroom-Webhooks/1"


@dataclass
class Outcome:
    ok: bool
    status_code: int | None = None
    response: str = ""
    # Refused addresses are not retried: the next try would be refused the same way.
    retry: bool = True


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def encode_body(payload: dict, delivery_id: str, timestamp: int) -> bytes:
    body = {**payload, "delivery": delivery_id, "timestamp": timestamp}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def post(url: str, secret: str, payload: dict, delivery_id: str, event: str) -> Outcome:
    """Sign and POST ``payload``; never raises for network trouble (it is in the outcome)."""
    timestamp = int(time.time())
    body = encode_body(payload, delivery_id, timestamp)
    try:
        scheme, host, port = split_url(url)
        addresses = resolve(host, port)
    except RefusedAddress as exc:
        return Outcome(False, response=f"refused: {exc}", retry=False)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature(secret, body),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.DELIVERY_HEADER: delivery_id,
        signing.EVENT_HEADER: event,
    }
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    timeout = getattr(settings, "NEWSROOM_WEBHOOK_TIMEOUT", 5.0)
    connection = connection_class(host, port, addresses[0], timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace")
        return Outcome(200 <= response.status < 300, response.status, text)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(False, response=f"{type(exc).__name__}: {exc}"[:MAX_RESPONSE_BYTES])
    finally:
        connection.close()
