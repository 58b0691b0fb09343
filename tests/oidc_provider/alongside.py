"""The site with e-legitimation on, against the test provider, to try it by hand
(`make run-elegitimation`, README.md "Trying e-legitimation by hand").

    python -m tests.oidc_provider.alongside --site http://127.0.0.1:8000 -- COMMAND [ARG ...]

Starts the test OpenID Connect provider of tests/oidc.py with the site's callback registered,
prints who can sign in at it, runs COMMAND (the site's server) with e-legitimation's settings
in its environment, and stops the provider once COMMAND ends. Settings already in the
environment win, so IDENTITY_FOR_PROPOSE=e-legitimation, say, asks it for proposing too.
"""

import argparse
import os
import subprocess
import sys
from urllib.parse import urlsplit

from tests.oidc import IDENTITIES, PASSWORD, Provider, running_provider

CALLBACK_PATH = "/konto/oidc/elegitimation/login/callback/"
LOOPBACK = {"127.0.0.1", "localhost"}
# Only ever for this local trial: the hashes it makes are of the test identities' numbers.
LOCAL_HASH_KEY = "local-trial-only-not-a-secret"

WHAT_EACH_SHOWS = {
    "": "verifies",
    "bad_signature": "an ID token signed with another key: refused",
    "wrong_audience": "an ID token meant for another service: refused",
    "expired": "an expired ID token: refused",
}


def callbacks(site: str) -> list[str]:
    """The site's callback; on the loopback address under both its names, whichever the
    browser is given."""
    parts = urlsplit(site)
    port = f":{parts.port}" if parts.port else ""
    hosts = sorted(LOOPBACK) if parts.hostname in LOOPBACK else [parts.hostname]
    return [f"{parts.scheme}://{host}{port}{CALLBACK_PATH}" for host in hosts]


def site_environment(provider: Provider, environment: dict[str, str]) -> dict[str, str]:
    """The site's environment, with e-legitimation on against `provider`."""
    return {
        "IDENTITY_HASH_KEYS": LOCAL_HASH_KEY,
        "IDENTITY_FOR_SUPPORT": "e-legitimation",
        **environment,
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.client_secret,
    }


def who_can_sign_in(provider: Provider) -> str:
    lines = [f"  The test e-legitimation provider runs at {provider.issuer}", ""]
    lines.append(f"  Its people, password: {PASSWORD}")
    for identity in IDENTITIES.values():
        if identity.number is None:
            shows = "no personal identity number: refused"
        else:
            shows = WHAT_EACH_SHOWS[identity.fault]
        lines.append(f"    {identity.username:<15} {shows}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="the site's address, http://HOST:PORT")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the site's server")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("the site's server command is missing (after --)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with running_provider(callbacks(args.site)) as provider:
        print(who_can_sign_in(provider), flush=True)
        site = subprocess.Popen(args.command, env=site_environment(provider, dict(os.environ)))
        try:
            return site.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached the server too (one process group): let it finish shutting down.
            return site.wait()


if __name__ == "__main__":
    sys.exit(main())
