"""The channel layer's configuration on Redis, shared by the settings and the tests."""

from channels_redis.core import RedisChannelLayer
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

# A process waits for its messages with BZPOPMIN (core.redis_layer's reader, as channels_redis
# does), blocking in Redis for up to `brpop_timeout` (5 s) before it asks again. redis-py 8 gives
# every connection a 5-second socket timeout by default, so a quiet process's read timed out on
# the client just before Redis answered, and the consumer waiting on it died with "Timeout
# reading from …": about one socket per process every five quiet seconds. The socket timeout
# must outlast the blocking read; the margin covers Redis answering late (it checks blocked
# clients about ten times a second) and a busy event loop. A Redis that is really gone still
# fails within this time.
SOCKET_TIMEOUT = RedisChannelLayer.brpop_timeout + 5
# A connection attempt never blocks in Redis: keep failing fast when Redis is down.
CONNECT_TIMEOUT = 2
# How many messages may wait in Redis for one server process; channels_redis drops the rest, with
# no more than a log line. Messages to one group reach a process as one, but a fan-out of
# notifications sends one message per person, and a task tells followers a slice of 1,000 at a
# time (notifications.fanout): with channels_redis's default of 100, a burst to the open pages of
# one slice lost most of them (bench/follower_push.py: 299 of 1,000 heard), and at 2,000 a burst
# of five slices' open pages to one process lost a third (3,171 of 5,000). A waiting message is
# about a kilobyte, so this is at most some ten megabytes per process; messages still expire
# after a minute.
CAPACITY = 10000


def channel_layer_on_redis(*urls: str) -> dict:
    """The CHANNEL_LAYERS entry for channels_redis on the Redis servers at `urls`, through
    core.redis_layer (a fan-out sent and a server's messages read in a few round trips).

    With several, channels_redis shards: each group and each process's channel lives on one of
    them, chosen by a hash of its name, so every process must list the same servers in the same
    order (CHANNEL_REDIS_URLS). One server is the usual case; bench/README.md says when more
    pay."""
    return {
        "BACKEND": "core.redis_layer.BatchingRedisChannelLayer",
        "CONFIG": {"hosts": [_host(url) for url in urls], "capacity": CAPACITY},
    }


def _host(url: str) -> dict:
    return {
        "address": url,
        "socket_timeout": SOCKET_TIMEOUT,
        "socket_connect_timeout": CONNECT_TIMEOUT,
        # A pooled connection idle for a second is pinged before use, and a command that fails
        # on a dead connection is sent once more on a new one, so that a connection left from
        # before a Redis restart neither refuses a socket nor drops a live update.
        "health_check_interval": 1,
        "retry": Retry(NoBackoff(), 1),
    }
