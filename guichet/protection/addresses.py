"""Who is connecting: the client's address through trusted reverse proxies, and the unit that
rate limits count (an IPv4 address, or an IPv6 /64: one subscriber's network).

Behind a proxy REMOTE_ADDR is the proxy's: every person would share one limit. The proxy says
who it serves in X-Forwarded-For (or the standard Forwarded header, RFC 7239), but anyone can
send those headers, so they are read only through the proxies of GUICHET_TRUSTED_PROXIES, from
the right (the rightmost-untrusted rule): each trusted hop vouches for the address to its left;
the first address that is not a trusted proxy is the client. What a client wrote further left
is never read.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPV6_PREFIX = 64

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: bare, "[v6]:port", "v4:port", quoted; None if it is not
    one ("unknown", an obfuscated RFC 7239 identifier). IPv4-mapped IPv6 becomes IPv4."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text[1:]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text.split("%")[0])  # no IPv6 zone
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"GUICHET_TRUSTED_PROXIES: {error} (a number of hops, or addresses and networks "
            "separated by commas)"
        ) from error


def trusted_networks() -> tuple:
    """The trusted proxies' networks; () when GUICHET_TRUSTED_PROXIES is a number of hops."""
    proxies = settings.GUICHET_TRUSTED_PROXIES
    return () if isinstance(proxies, int) else _networks(tuple(proxies))


def forwarded_chain(request) -> list[str]:
    """The addresses the proxies recorded, farthest first, from the configured header."""
    header = settings.GUICHET_PROXY_HEADER.strip().lower()
    if header == "forwarded":
        chain = []
        for element in request.META.get("HTTP_FORWARDED", "").split(","):
            pairs = (pair.split("=", 1) for pair in element.split(";") if "=" in pair)
            chain += [value for name, value in pairs if name.strip().lower() == "for"][:1]
        return chain
    if header == "x-forwarded-for":
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        return [item for item in forwarded.split(",") if item.strip()]
    raise ImproperlyConfigured("GUICHET_PROXY_HEADER must be X-Forwarded-For or Forwarded")


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or through trusted proxies the rightmost address of
    the forwarded chain that is not one of them."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.GUICHET_TRUSTED_PROXIES
    if not proxies:
        return str(parse_address(remote) or remote)
    chain = [*forwarded_chain(request), remote]
    if isinstance(proxies, int):
        hops = proxies
        # With fewer addresses than hops, the farthest one known.
        candidate = chain[max(0, len(chain) - 1 - hops)]
        return str(parse_address(candidate) or parse_address(remote) or remote)
    networks = trusted_networks()
    vouching = parse_address(remote)
    if vouching is None or not any(vouching in network for network in networks):
        return str(vouching or remote)  # not from a trusted proxy: its headers mean nothing
    for item in reversed(chain[:-1]):
        address = parse_address(item)
        if address is None:  # a trusted proxy passed on no address: count it as the client
            return str(vouching)
        if not any(address in network for network in networks):
            return str(address)
        vouching = address
    return str(vouching)  # only proxies: the farthest one


def connection_key(address: str) -> str:
    """What a per-connection limit counts: the IPv4 address, or the IPv6 address's /64 (a
    subscriber gets a whole /64 and may use any address in it)."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed) if parsed else address
