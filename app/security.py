"""Hardening in one place: headers, CORS, body size, proxy trust and REST rate limits."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Settings
from app.extensions import cors, limiter
from app.origins import configured_origins

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
STATIC_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # camera is left at its default (self): Chromium reports listing the microphones
    # (enumerateDevices) as a camera-policy violation in the console when it is ().
    "Permissions-Policy": "geolocation=(), microphone=(self), display-capture=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask, settings: Settings) -> None:
    app.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.is_production
    if settings.proxy_fix_hops:
        hops = settings.proxy_fix_hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": list(configured_origins(settings))}},
        supports_credentials=False,
        expose_headers=["X-Request-ID", "ETag", "Retry-After"],
    )
    _init_limiter(app, settings)
    production = settings.is_production

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if response.mimetype == "application/json":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _init_limiter(app: Flask, settings: Settings) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = settings.redis_url or "memory://"
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = bool(settings.redis_url)
    app.config["RATELIMIT_DEFAULT"] = settings.rate_limit_default
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["RATELIMIT_ENABLED"] = settings.rate_limit_enabled
    limiter.init_app(app)
