"""The live layer sharded over several Redis servers (CHANNEL_REDIS_URLS): every process lists
the same servers, groups and channels spread over them, and every message still arrives."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from config.channel_layers import channel_layer_on_redis
from tests.channel_layers import layer_on_redis

GROUPS = [f"card-{pk}-sv" for pk in range(40)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.asyncio
async def test_two_processes_on_two_redis_servers_hear_every_group(
    private_redis, second_private_redis
):
    urls = (private_redis.url, second_private_redis.url)
    listening, sending = layer_on_redis(*urls), layer_on_redis(*urls)
    channel = await listening.new_channel()
    for group in GROUPS:
        await listening.group_add(group, channel)

    for group in GROUPS:
        await sending.group_send(group, {"type": "live.html", "html": group})
    heard = [(await asyncio.wait_for(listening.receive(channel), 5))["html"] for _ in GROUPS]

    assert sorted(heard) == sorted(GROUPS)
    # Both servers hold part of the groups: the layer did shard.
    for url in urls:
        assert redis.Redis.from_url(url).dbsize() > 0
    await listening.flush()
    await sending.close_pools()
    await listening.close_pools()


@pytest.mark.django_db
def test_healthz_asks_every_redis_server_of_the_layer(client, settings, private_redis):
    settings.REDIS_URL = private_redis.url
    settings.CHANNEL_LAYERS = {
        "default": channel_layer_on_redis(private_redis.url, "redis://127.0.0.1:9/0")
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "redis": False}


@pytest.mark.django_db
def test_healthz_is_ok_when_every_server_answers(
    client, settings, private_redis, second_private_redis
):
    settings.REDIS_URL = private_redis.url
    settings.CHANNEL_LAYERS = {
        "default": channel_layer_on_redis(private_redis.url, second_private_redis.url)
    }

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "redis": True}


def test_the_settings_shard_over_channel_redis_urls():
    """Read in a process of its own: the settings are built once, from the environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([[h['address'] for h in s.CHANNEL_LAYERS['default']['CONFIG']"
        "['hosts']], s.CACHES['default']['LOCATION']]))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        REDIS_URL="redis://cache:6379/0",
        CHANNEL_REDIS_URLS="redis://live-a:6379/0, redis://live-b:6379/0",
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    layer, cache = json.loads(output.stdout)
    assert layer == ["redis://live-a:6379/0", "redis://live-b:6379/0"]
    assert cache == "redis://cache:6379/0"


@pytest.mark.asyncio
async def test_a_burst_to_many_people_on_one_process_loses_nothing(private_redis):
    """A fan-out sends one message per person; every one of several slices' worth must wait in
    Redis until the process reads it (channels_redis's default capacity of 100 dropped the
    rest, and 2,000 a third of five slices' worth)."""
    sending, listening = layer_on_redis(private_redis.url), layer_on_redis(private_redis.url)
    people = 6000
    channels = [await listening.new_channel() for _ in range(people)]
    for index, channel in enumerate(channels):
        await listening.group_add(f"user-{index}", channel)

    for index in range(people):
        await sending.group_send(f"user-{index}", {"type": "live.html", "html": str(index)})
    heard = set()
    for channel in channels:
        heard.add((await asyncio.wait_for(listening.receive(channel), 5))["html"])

    assert len(heard) == people
    await listening.flush()
    await sending.close_pools()
    await listening.close_pools()
