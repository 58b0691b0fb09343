"""The Redis channel layer, with many messages sent and received in a few round trips each.

channels_redis sends a group's message in four round trips to Redis: drop the group's expired
members, read its members, drop the expired messages of their channels, then a script that adds
the message to each channel. A fan-out of notifications sends one message to each person's own
group, a thousand at a time (notifications.fanout), so the worker spent about 1.5 ms a message
waiting on Redis (bench/follower_push.py). `group_send_many` does the same steps for a whole
batch: one pipeline per Redis server reads every group's members, and one more per server adds
every message, whatever the batch's size. What reaches each channel is what `group_send` would
put there, message by message: the same serialised message, the same capacity rule (a channel
that is full loses the message, logged), the same expiry.

Receiving had the same cost per message, and more. A server process's sockets all read from one
sorted set in Redis; channels_redis has each socket's coroutine take a lock in turn and read one
message, in four round trips, then wake the socket it was for. With 5,000 sockets waiting, a
burst cost about 1.5 ms of the server's time a message, a walk along the lock's 5,000 waiters
included (bench/README.md). Here one reader per process takes every waiting message
in one round trip and hands each to its socket's queue; the sockets only wait on their queues.
Messages are kept in channels_redis's backup set until they are handed over, as channels_redis
keeps them, so a reader stopped half-way loses none: the next one puts them back first.

It uses channels_redis's own helpers for naming, sharding and serialising; the version range in
pyproject.toml pins the release they were read from, and tests/core/test_redis_layer.py compares
the two ways on a real Redis.
"""

import asyncio
import collections
import hashlib
import logging
import time

from channels_redis.core import RedisChannelLayer
from redis.exceptions import NoScriptError

logger = logging.getLogger(__name__)

# The channels_redis script, for many messages: each message is added to its channel's sorted set
# unless the channel already holds its capacity. A channel may come more than once (two people on
# one server process): the count includes what this script added before. Each message has its own
# score (its time), later than the one before it, so that a channel reads them in the batch's order.
ADD_EACH = """
local over_capacity = 0
local count = #KEYS
local expiry = ARGV[3 * count + 1]
for i = 1, count do
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[count + i]) then
        redis.call('ZADD', KEYS[i], ARGV[2 * count + i], ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""

# Messages added by one script call: a script holds Redis while it runs, so a long batch is cut
# into calls of this size (about a millisecond of Redis's time each).
SCRIPT_SLICE = 500


# Put back what a reader stopped before handing it over (the backup set, ARGV... KEYS[2]), then
# take up to ARGV[1] waiting messages, oldest first, keeping each in the backup set until the
# reader has handed it over.
TAKE_WAITING = """
local backed_up = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = #backed_up, 1, -2 do
    redis.call('ZADD', KEYS[1], backed_up[i], backed_up[i - 1])
end
redis.call('DEL', KEYS[2])
local taken = redis.call('ZPOPMIN', KEYS[1], ARGV[1])
for i = 1, #taken, 2 do
    redis.call('ZADD', KEYS[2], taken[i + 1], taken[i])
end
return taken
"""

# Messages a reader takes at once: enough for a burst, small enough to hand over in a moment.
TAKE_AT_ONCE = 500


class Script:
    """A Lua script sent by its SHA1 digest (EVALSHA) rather than as its text each call, and
    loaded into a Redis server the first time that server does not know it (after a restart,
    or on a second shard)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sha = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()

    async def run(self, connection, keys: list, *arguments):
        try:
            return await connection.evalsha(self.sha, len(keys), *keys, *arguments)
        except NoScriptError:
            await connection.script_load(self.text)
            return await connection.evalsha(self.sha, len(keys), *keys, *arguments)


ADD_EACH_SCRIPT = Script(ADD_EACH)
TAKE_WAITING_SCRIPT = Script(TAKE_WAITING)


class _ReaderFailed:
    """Put in a waiting socket's queue when the reader failed (Redis went away): that socket's
    receive() raises the error, as channels_redis's own receive would have."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class BatchingRedisChannelLayer(RedisChannelLayer):
    """channels_redis's layer, with `group_send_many` for fan-outs of one message per group, and
    one reader per process for the process's own channels."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reader: asyncio.Task | None = None
        self._reader_loop: asyncio.AbstractEventLoop | None = None
        # The process-local channels a receive() waits on, with how many wait on each.
        self._waiting: collections.Counter[str] = collections.Counter()
        self._last_score = 0.0

    async def receive(self, channel: str) -> dict:
        """The next message of the channel. A process's own channels ('!' in the name) are
        read by the process's one reader; other channels as channels_redis reads them."""
        if "!" not in channel:
            return await super().receive(channel)
        assert self.require_valid_channel_name(channel)
        real_channel = self.non_local_name(channel)
        assert real_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        self._start_reader(real_channel)
        self._waiting[channel] += 1
        try:
            message = await self.receive_buffer[channel].get()
        finally:
            self._waiting[channel] -= 1
            if not self._waiting[channel]:
                del self._waiting[channel]
                if self.receive_buffer[channel].empty():
                    del self.receive_buffer[channel]
            if not self._waiting:
                self._stop_reader()
        if isinstance(message, _ReaderFailed):
            raise message.error
        return message

    def _start_reader(self, real_channel: str) -> None:
        loop = asyncio.get_running_loop()
        if self._reader is not None and not self._reader.done():
            if self._reader_loop is not loop:
                raise RuntimeError(
                    "Two event loops are trying to receive() on one channel layer at once!"
                )
            return
        self._reader_loop = loop
        self._reader = loop.create_task(self._read(real_channel))

    def _stop_reader(self) -> None:
        """Nobody waits: stop reading. Whatever the reader had taken but not handed over stays
        in the backup set, for the next reader to put back."""
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None

    async def _read(self, real_channel: str) -> None:
        """Hand every message of this process's channels to the queue of the socket it is for,
        until cancelled. A failure reaches every socket waiting at that moment."""
        index = self.consistent_hash(real_channel)
        key = self.prefix + real_channel
        backup = self._backup_channel_name(key)
        connection = self.connection(index)
        try:
            while True:
                taken = await TAKE_WAITING_SCRIPT.run(connection, [key, backup], TAKE_AT_ONCE)
                contents = taken[0::2]
                if not contents:
                    waited = await connection.bzpopmin(key, timeout=self.brpop_timeout)
                    if waited is None:
                        continue
                    _key, content, score = waited
                    await connection.zadd(backup, {content: float(score)})
                    contents = [content]
                for content in contents:
                    self._hand_over(content, real_channel)
                # Handed over: out of the backup set, even if this reader is stopped meanwhile
                # (else the next reader would hand them over again).
                await asyncio.shield(connection.zrem(backup, *contents))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 — each waiting socket's to handle
            for channel in list(self._waiting):
                self.receive_buffer[channel].put_nowait(_ReaderFailed(error))

    def _hand_over(self, content: bytes, real_channel: str) -> None:
        try:
            message = self.deserialize(content)
            if not isinstance(message, dict):
                raise TypeError(f"a message is a dict, not {type(message).__name__}")
        except Exception:  # noqa: BLE001 — one unreadable message must not stop the others
            # Dropped, as channels_redis drops it (it takes a message out of the backup set
            # before reading it); kept, it would stop every reader after this one too.
            logger.warning("A live message that could not be read was dropped", exc_info=True)
            return
        channels = message.pop("__asgi_channel__", real_channel)
        for channel in channels if isinstance(channels, list) else [channels]:
            self.receive_buffer[channel].put_nowait(message)

    async def group_send_many(self, messages: list[tuple[str, dict]]) -> None:
        """Send each message to its group, as `group_send` would one after another."""
        members = await self._members([group for group, _message in messages])
        # Per Redis server: the channel keys, and the serialised message and capacity of each.
        entries: dict[int, list[tuple[str, bytes, int]]] = collections.defaultdict(list)
        for group, message in messages:
            by_connection, serialised, capacity = self._map_channel_keys_to_connection(
                members[group], message
            )
            for index, keys in by_connection.items():
                entries[index].extend((key, serialised[key], capacity[key]) for key in keys)
        for index, batch in entries.items():
            await self._add_each(index, batch)

    def _next_score(self) -> float:
        """The time, or just after the last score given when that is later: a microsecond apart
        (a score near today's time in seconds still tells microseconds apart)."""
        self._last_score = max(time.time(), self._last_score + 1e-6)
        return self._last_score

    async def _members(self, groups: list[str]) -> dict[str, list[str]]:
        """Every group's channels, expired members dropped first: one round trip per server."""
        by_server: dict[int, list[str]] = collections.defaultdict(list)
        for group in dict.fromkeys(groups):
            by_server[self.consistent_hash(group)].append(group)
        members = {}
        oldest = int(time.time()) - self.group_expiry
        for index, names in by_server.items():
            pipe = self.connection(index).pipeline(transaction=False)
            for name in names:
                key = self._group_key(name)
                pipe.zremrangebyscore(key, min=0, max=oldest)
                pipe.zrange(key, 0, -1)
            answers = await pipe.execute()
            for name, channels in zip(names, answers[1::2], strict=True):
                members[name] = [channel.decode("utf8") for channel in channels]
        return members

    async def _add_each(self, index: int, batch: list[tuple[str, bytes, int]]) -> None:
        connection = self.connection(index)
        pipe = connection.pipeline(transaction=False)
        oldest = int(time.time()) - int(self.expiry)
        for key in dict.fromkeys(key for key, _message, _capacity in batch):
            pipe.zremrangebyscore(key, min=0, max=oldest)
        await pipe.execute()
        for start in range(0, len(batch), SCRIPT_SLICE):
            part = batch[start : start + SCRIPT_SLICE]
            keys = [key for key, _message, _capacity in part]
            arguments = [message for _key, message, _capacity in part]
            arguments += [capacity for _key, _message, capacity in part]
            arguments += [self._next_score() for _entry in part]
            arguments += [self.expiry]
            over_capacity = await ADD_EACH_SCRIPT.run(connection, keys, *arguments)
            if over_capacity > 0:
                logger.info("%s of %s messages over capacity", over_capacity, len(part))
