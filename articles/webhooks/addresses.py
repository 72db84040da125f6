"""Where a webhook may go: http(s) on a public address, never into the newsroom's own network.

A URL is checked when an endpoint is saved and again at every delivery, on the addresses its
host resolves to then (DNS may have changed), and the delivery connects to the address that
passed, so a second lookup cannot swap in a private one.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_SCHEMES = ("http", "https")


class RefusedAddress(ValueError):
    """The URL's scheme or the address it resolves to is not one webhooks may reach."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def allow_private() -> bool:
    return bool(getattr(settings, "NEWSROOM_WEBHOOK_ALLOW_PRIVATE", False))


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; raises RefusedAddress otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise RefusedAddress("Only http and https URLs can receive webhooks.")
    if not parts.hostname:
        raise RefusedAddress("The URL has no host.")
    if parts.username or parts.password:
        raise RefusedAddress("Put no user name or password in the URL; the secret signs bodies.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise RefusedAddress("The URL's port is not a number between 0 and 65535.") from exc
    return parts.scheme, parts.hostname, port


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` may be reached at now; raises RefusedAddress if any is private."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddress(f"The host {host!r} does not resolve.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private():
        private = [a for a in addresses if not is_public(a)]
        if private:
            raise RefusedAddress(
                f"{host} resolves to {private[0]}, a loopback, private or link-local address."
            )
    return addresses


def check_endpoint_url(url: str) -> None:
    """For forms and commands: a ValidationError saying what is wrong with ``url``."""
    try:
        _, host, port = split_url(url)
        resolve(host, port)
    except RefusedAddress as exc:
        raise ValidationError({"url": str(exc)}) from exc
