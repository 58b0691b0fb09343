#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's tool: without DEBUG set it runs as the embedded setup does.
    # Production states DEBUG=0 (docker-compose.yml, platform/Dockerfile); the server's entry
    # point, config/asgi.py, has no such default, so a server never starts in debug by accident.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
