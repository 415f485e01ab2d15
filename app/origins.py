"""Which browser origins may call the REST API and open the Socket.IO handshake.

Always allowed, with no setting:

- the page's own origin: an ``Origin`` whose host and port are the request's own ``Host``
  (the browser only sends that for a page served from this very address, whether the user
  typed 127.0.0.1, localhost or the machine's name, and whatever PORT is);
- the origins of the configured HOST/PORT (both loopback names when bound to a loopback or
  wildcard address), and in development the Vite dev and preview servers;

plus every origin listed in ``CORS_ORIGINS`` (a front end served from another address).
Tokens travel as Bearer headers, never cookies, so a same-host page of another site (DNS
rebinding) gains nothing it could not get with a plain HTTP client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from app.config import Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")  # noqa: S104 (names, not a bind)
VITE_PORTS = (5173, 4173)  # `npm run dev`, `npm run preview`
ORIGIN_REFUSED = "This page's address is not allowed: set CORS_ORIGINS."


def _hosts_for(bind_host: str) -> tuple[str, ...]:
    if bind_host in WILDCARD_HOSTS or bind_host in LOOPBACK_HOSTS:
        return LOOPBACK_HOSTS
    return (bind_host,)


def configured_origins(settings: Settings) -> tuple[str, ...]:
    """CORS_ORIGINS plus this server's own origins (and Vite's in development)."""
    hosts = _hosts_for(settings.host)
    own = [f"http://{host}:{settings.port}" for host in hosts]
    if settings.app_env == "development":
        own += [f"http://{host}:{port}" for port in VITE_PORTS for host in LOOPBACK_HOSTS]
    return tuple(dict.fromkeys([*settings.cors_origins, *own]))


def _netloc(origin: str) -> str:
    try:
        return urlsplit(origin).netloc.lower()
    except ValueError:
        return ""


def request_host(environ: Mapping[str, Any], proxy_hops: int) -> str:
    """The Host the browser used: the trusted proxy's X-Forwarded-Host, else Host."""
    forwarded = environ.get("HTTP_X_FORWARDED_HOST", "")
    if proxy_hops and forwarded:
        hops = [h.strip() for h in forwarded.split(",")]
        return str(hops[-min(proxy_hops, len(hops))]).lower()
    return str(environ.get("HTTP_HOST", "")).lower()


class OriginPolicy:
    """The one origin check; also the callable engine.io takes as ``cors_allowed_origins``."""

    def __init__(self, settings: Settings) -> None:
        self.origins = frozenset(configured_origins(settings))
        self.proxy_hops = settings.proxy_fix_hops
        self.any_origin = "*" in settings.cors_origins  # refused in production by config

    def allows(self, origin: str | None, environ: Mapping[str, Any]) -> bool:
        if not origin:
            return True  # not a browser page (curl, server-to-server): tokens still apply
        if origin in self.origins or self.any_origin:
            return True
        host = request_host(environ, self.proxy_hops)
        return bool(host) and _netloc(origin) == host

    def __call__(self, origin: str | None, environ: Mapping[str, Any]) -> bool:
        return self.allows(origin, environ)
