"""Run the test OpenID Connect provider on 127.0.0.1 until it is stopped.

    python -m tests.oidc_provider.serve --port N --redirect-uri URI [--redirect-uri URI ...]
        --client-id X --client-secret Y --database PATH

It migrates its own SQLite database at PATH, makes a fresh RSA signing key, registers the one
relying party (a confidential client using the authorization code grant with PKCE, RS256 ID
tokens and no consent page), creates a user for every test identity, and prints READY once it
accepts connections. Run it from the project root so that `tests` can be imported.
"""

import argparse
import contextlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def new_rsa_key_pem() -> str:
    """A fresh 2048-bit RSA private key, as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--redirect-uri", dest="redirect_uris", action="append", required=True, metavar="URI"
    )
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--database", type=Path, required=True, metavar="PATH")
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> None:
    """Point Django at the provider's own settings, and hand them what they read."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{args.port}/o"
    os.environ["OIDC_PROVIDER_DATABASE"] = str(args.database.resolve())
    os.environ["OIDC_PROVIDER_RSA_KEY"] = new_rsa_key_pem()
    os.environ["OIDC_PROVIDER_ROGUE_RSA_KEY"] = new_rsa_key_pem()


def populate(args: argparse.Namespace) -> None:
    """Migrate the database, register the relying party and create the test users."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    from tests.oidc_provider.identities import IDENTITIES, PASSWORD

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)

    application_model = get_application_model()
    application_model.objects.filter(client_id=args.client_id).delete()
    # DOT stores the secret hashed (hash_client_secret defaults to True) and checks the plain
    # secret the client sends against the hash, as Django checks passwords.
    application_model.objects.create(
        name="Tillsammans (test relying party)",
        client_id=args.client_id,
        client_secret=args.client_secret,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(args.redirect_uris),
        algorithm=application_model.RS256_ALGORITHM,
        skip_authorization=True,
    )

    user_model = get_user_model()
    for username in IDENTITIES:
        user, _ = user_model.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    configure(args)

    import django

    django.setup()
    populate(args)

    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    def ready(port: int) -> None:
        print(f"READY http://127.0.0.1:{port}/o", flush=True)

    run("127.0.0.1", args.port, get_wsgi_application(), threading=True, on_bind=ready)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
