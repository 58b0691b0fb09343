import logging
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return False


def _redis_urls() -> list[str]:
    """The cache's Redis and each of the channel layer's (several when it is sharded)."""
    hosts = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts", [])
    layer = [host["address"] for host in hosts if isinstance(host, dict)]
    return list(dict.fromkeys([settings.REDIS_URL, *layer]))


def _redis_ok(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        logger.exception("Health check: the Redis at %s does not answer", _without_password(url))
        return False


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


@never_cache
@require_GET
def healthz(request):
    """200 when every service this process depends on answers, 503 otherwise."""
    checks = {"database": _database_ok()}
    if settings.REDIS_URL:
        answers = [_redis_ok(url) for url in _redis_urls()]  # each one asked, each failure logged
        checks["redis"] = all(answers)
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
