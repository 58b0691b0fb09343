"""A process's channel layer on Redis, for the tests that run several processes' layers side by
side in one process."""

from django.utils.module_loading import import_string

from config.channel_layers import channel_layer_on_redis


def layer_on_redis(*urls: str, **config):
    """The layer the settings' entry names, built as Channels builds it; `config` overrides."""
    entry = channel_layer_on_redis(*urls)
    return import_string(entry["BACKEND"])(**{**entry["CONFIG"], **config})
