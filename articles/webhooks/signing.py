"""Signatures partners check: ``X-Newsroom-Signature: sha256=<hex HMAC-SHA256 of the body>``.

The body carries the delivery's ``timestamp`` (also sent as ``X-Newsroom-Timestamp``), so the
signature covers it and a receiver can refuse replays of old bodies.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Newsroom-Signature"
TIMESTAMP_HEADER = "X-Newsroom-Timestamp"
DELIVERY_HEADER = "X-Newsroom-Delivery"
EVENT_HEADER = "X-Newsroom-Event"


def signature(secret: str, body: bytes) -> str:
    """The header value for ``body`` signed with ``secret``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def is_valid(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: compare in constant time."""
    return hmac.compare_digest(signature(secret, body), header or "")
