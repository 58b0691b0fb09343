#!/bin/sh
# Entry point of the production image (web and worker).
# 1. waits until the database answers (DB_WAIT_SECONDS, default 60);
# 2. unless RUN_SETUP=0: migrate, load_municipality (both idempotent; staff's edits are kept).
#    Demo content is never loaded here: load_demo is for `make run` only.
# 3. when STATIC_EXPORT_DIR is set: copies the image's static files there (the proxy serves them);
# 4. execs the command (the ASGI server by default, `python manage.py db_worker` for the worker).
set -eu

python - <<'PYTHON'
import os
import sys
import time

import django

django.setup()
from django.db import connection
from django.db.utils import OperationalError

deadline = time.monotonic() + int(os.environ.get("DB_WAIT_SECONDS", "60"))
while True:
    try:
        connection.ensure_connection()
        break
    except OperationalError as error:
        if time.monotonic() > deadline:
            sys.exit(f"entrypoint: the database does not answer: {error}")
        print("entrypoint: waiting for the database ...", flush=True)
        time.sleep(1)
connection.close()
PYTHON

if [ "${RUN_SETUP:-1}" != "0" ]; then
    python manage.py migrate --noinput
    python manage.py load_municipality
fi

if [ -n "${STATIC_EXPORT_DIR:-}" ]; then
    # Replace the previous release's files, so the proxy never serves stale ones.
    find "$STATIC_EXPORT_DIR" -mindepth 1 -delete
    cp -R "${STATIC_ROOT:-/app/staticfiles}/." "$STATIC_EXPORT_DIR/"
fi

exec "$@"
