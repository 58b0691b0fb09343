"""core.redis_layer on a real Redis: many groups' messages sent at once reach each channel as
channels_redis's group_send would put them there, and one reader per process hands each message
to the socket it is for, losing none and doubling none."""

import asyncio
import logging
import time

import pytest
import redis

from tests.channel_layers import layer_on_redis

pytestmark = pytest.mark.asyncio


async def _heard(layer, channel: str, count: int) -> list[str]:
    return [(await asyncio.wait_for(layer.receive(channel), 5))["html"] for _ in range(count)]


async def _hears_nothing_more(layer, channel: str) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), 0.3)
    except TimeoutError:
        return True
    return False


async def _backup_empties(url: str) -> bool:
    """Whether every backup set is gone within a second: the reader takes handed-over messages
    out of it just after the socket has them."""
    for _ in range(20):
        if not redis.Redis.from_url(url).keys("*inflight*"):
            return True
        await asyncio.sleep(0.05)
    return False


async def _close(*layers) -> None:
    await layers[0].flush()
    for layer in layers:
        await layer.close_pools()


async def _groups(first, second):
    """Channels in two processes and groups over them: one member, members in both processes,
    two members in one process, and none."""
    a, b = await first.new_channel(), await second.new_channel()
    a2 = await first.new_channel()
    for group, channel in [("solo", a), ("both", a), ("both", b), ("pair", a), ("pair", a2)]:
        await first.group_add(group, channel)
    return a, a2, b


async def test_many_groups_hear_what_group_send_would_put_there(private_redis):
    first, second, sending = (layer_on_redis(private_redis.url) for _ in range(3))
    a, a2, b = await _groups(first, second)
    batch = [
        ("solo", {"type": "live.html", "html": "1"}),
        ("both", {"type": "live.html", "html": "2"}),
        ("nobody", {"type": "live.html", "html": "3"}),
        ("pair", {"type": "live.html", "html": "4"}),
        ("solo", {"type": "live.html", "html": "5"}),
    ]

    await sending.group_send_many(batch)
    together = (await _heard(first, a, 4), await _heard(first, a2, 1), await _heard(second, b, 1))
    for group, message in batch:
        await sending.group_send(group, message)
    one_by_one = (await _heard(first, a, 4), await _heard(first, a2, 1), await _heard(second, b, 1))

    assert together == one_by_one == (["1", "2", "4", "5"], ["4"], ["2"])
    assert await _hears_nothing_more(first, a)
    assert await _hears_nothing_more(second, b)
    await _close(first, second, sending)


async def test_a_full_channel_loses_what_group_send_would_lose(private_redis, caplog):
    listening, sending = (layer_on_redis(private_redis.url, capacity=3) for _ in range(2))
    channel = await listening.new_channel()
    await listening.group_add("person", channel)
    caplog.set_level(logging.INFO, logger="core.redis_layer")

    await sending.group_send_many(
        [("person", {"type": "live.html", "html": str(number)}) for number in range(5)]
    )

    assert await _heard(listening, channel, 3) == ["0", "1", "2"]
    assert await _hears_nothing_more(listening, channel)
    assert "2 of 5 messages over capacity" in caplog.text
    await _close(listening, sending)


async def test_a_batch_is_sharded_over_two_redis_servers(private_redis, second_private_redis):
    urls = (private_redis.url, second_private_redis.url)
    listening, sending = layer_on_redis(*urls), layer_on_redis(*urls)
    channels = [await listening.new_channel() for _ in range(40)]
    for number, channel in enumerate(channels):
        await listening.group_add(f"user-{number}", channel)

    await sending.group_send_many(
        [(f"user-{number}", {"type": "live.html", "html": str(number)}) for number in range(40)]
    )

    heard = [(await _heard(listening, channel, 1))[0] for channel in channels]
    assert heard == [str(number) for number in range(40)]
    for url in urls:  # both servers hold part of the groups: the batch did shard
        assert redis.Redis.from_url(url).dbsize() > 0
    await _close(listening, sending)


async def test_one_reader_hands_a_burst_to_every_waiting_socket_in_order(private_redis):
    listening, sending = layer_on_redis(private_redis.url), layer_on_redis(private_redis.url)
    people = 3000
    channels = [await listening.new_channel() for _ in range(people)]
    for number, channel in enumerate(channels):
        await listening.group_add(f"user-{number}", channel)
    waiting = [asyncio.create_task(_heard(listening, channel, 2)) for channel in channels]
    await asyncio.sleep(0.1)

    for turn in ("first", "second"):
        await sending.group_send_many(
            [(f"user-{n}", {"type": "live.html", "html": f"{n} {turn}"}) for n in range(people)]
        )
    heard = await asyncio.wait_for(asyncio.gather(*waiting), 30)

    assert heard == [[f"{n} first", f"{n} second"] for n in range(people)]
    # Every message handed over leaves the backup set.
    assert await _backup_empties(private_redis.url)
    await _close(listening, sending)


async def test_what_a_stopped_reader_had_taken_is_handed_over_by_the_next(private_redis):
    listening = layer_on_redis(private_redis.url)
    channel = await listening.new_channel()
    key = listening.prefix + listening.non_local_name(channel)
    message = {"type": "live.html", "html": "kept", "__asgi_channel__": channel}
    # What a reader leaves when it is stopped after taking a message and before handing it over.
    backup = f"{key}$inflight"
    redis.Redis.from_url(private_redis.url).zadd(backup, {listening.serialize(message): 1})

    assert await _heard(listening, channel, 1) == ["kept"]
    assert await _hears_nothing_more(listening, channel)
    await _close(listening)


async def test_a_message_that_cannot_be_read_is_dropped_and_the_next_arrives(private_redis, caplog):
    listening, sending = layer_on_redis(private_redis.url), layer_on_redis(private_redis.url)
    channel = await listening.new_channel()
    await listening.group_add("person", channel)
    key = listening.prefix + listening.non_local_name(channel)
    for garbage in (b"not a message", b"twelve bytes\xc1"):  # a number; no msgpack at all
        # Waiting before the next message, and not old enough to expire.
        redis.Redis.from_url(private_redis.url).zadd(key, {garbage: time.time() - 1})

    await sending.group_send_many([("person", {"type": "live.html", "html": "next"})])

    assert await _heard(listening, channel, 1) == ["next"]
    assert caplog.text.count("could not be read was dropped") == 2
    assert await _backup_empties(private_redis.url)
    await _close(listening, sending)


async def test_a_receive_stopped_while_waiting_loses_nothing_after_it(private_redis):
    listening, sending = layer_on_redis(private_redis.url), layer_on_redis(private_redis.url)
    channel = await listening.new_channel()
    await listening.group_add("person", channel)
    stopped = asyncio.create_task(listening.receive(channel))
    await asyncio.sleep(0.2)
    stopped.cancel()  # the socket closed while its reader waited in Redis
    await asyncio.gather(stopped, return_exceptions=True)

    await sending.group_send_many([("person", {"type": "live.html", "html": "after"})])

    assert await _heard(listening, channel, 1) == ["after"]
    await _close(listening, sending)


async def test_a_reader_that_fails_reaches_every_waiting_socket(private_redis):
    listening = layer_on_redis(private_redis.url)
    channels = [await listening.new_channel() for _ in range(3)]
    waiting = [asyncio.create_task(listening.receive(channel)) for channel in channels]
    await asyncio.sleep(0.2)

    private_redis.stop()
    outcomes = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 30)

    assert all(isinstance(outcome, redis.RedisError) for outcome in outcomes), outcomes
    private_redis.start()
    await listening.close_pools()


async def test_a_channel_of_no_process_is_read_as_channels_redis_reads_it(private_redis):
    listening, sending = layer_on_redis(private_redis.url), layer_on_redis(private_redis.url)

    await sending.send("plain", {"type": "live.html", "html": "to anyone"})

    assert await _heard(listening, "plain", 1) == ["to anyone"]
    await _close(listening, sending)


async def test_the_scripts_go_by_digest_and_are_loaded_again_into_a_server_that_lost_them(
    private_redis,
):
    """EVALSHA, not the script's text with every call; a server that has forgotten the scripts
    (restarted, flushed) is given them again once, and nothing is lost meanwhile."""
    listening, sending = (layer_on_redis(private_redis.url) for _ in range(2))
    channel = await listening.new_channel()
    await sending.group_add("group", channel)
    server = redis.Redis.from_url(private_redis.url)
    server.script_flush()
    server.config_resetstat()

    for html in ("1", "2", "3"):
        await sending.group_send_many([("group", {"type": "live.html", "html": html})])
    heard = await _heard(listening, channel, 3)
    stats = server.info("commandstats")

    assert heard == ["1", "2", "3"]
    assert "cmdstat_eval" not in stats
    assert stats["cmdstat_script|load"]["calls"] == 2  # the sending script and the reading one
    assert stats["cmdstat_evalsha"]["calls"] >= 4
    await _close(listening, sending)
