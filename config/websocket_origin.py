"""Which origins may open a websocket: the site's own, compared as Django's CSRF check compares
a form's Origin: scheme, host and port.

Channels' AllowedHostsOriginValidator compares the host only, so a page on http://, or on
another port of the same host, could listen. Here the handshake's Origin must equal the origin
the socket itself was reached at (its scheme, wss behind a TLS proxy that says so, and its Host
header, which must be an allowed host), or be one of CSRF_TRUSTED_ORIGINS.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(scheme: str, host: str) -> str | None:
    """`scheme://host[:port]`, the default port left out; None when it is no origin."""
    try:
        parts = urlsplit(f"{scheme}://{host}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or scheme not in DEFAULT_PORTS:
        return None
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{parts.hostname}"
    return f"{scheme}://{parts.hostname}:{port}"


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _own_origin(scope) -> str | None:
    """The origin this socket was reached at, as a page on it has."""
    host = _header(scope, b"host")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    secure = scope.get("scheme") == "wss"
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name, value = proxy_header
        header = name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        secure = secure or _header(scope, header) == value
    return _origin("https" if secure else "http", host)


def allowed(scope) -> bool:
    origin = _header(scope, b"origin")
    parts = urlsplit(origin)
    given = _origin(parts.scheme, parts.netloc) if parts.scheme and parts.netloc else None
    if given is None:
        return False
    trusted = {
        _origin(urlsplit(item).scheme, urlsplit(item).netloc)
        for item in settings.CSRF_TRUSTED_ORIGINS
    }
    return given == _own_origin(scope) or given in trusted


class SameOriginValidator:
    """ASGI middleware: refuse a websocket handshake from any other origin."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
