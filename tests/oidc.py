"""A real OpenID Connect provider for the tests, and a person signing in at it.

`running_provider` starts the provider of tests/oidc_provider (django-oauth-toolkit with OpenID
Connect) as a process of its own on a free port, and `Provider.sign_in` plays the person at it:
the login form, then the redirect back to the relying party with `code` and `state`.
"""

import contextlib
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from tests.oidc_provider.identities import (
    ASSURANCE_CLAIM,
    IDENTITIES,
    IDENTITY_CLAIM,
    LOA2,
    LOA3,
    NATURAL_PERSON_NUMBER_SCOPE,
    PASSWORD,
    Identity,
)

__all__ = [
    "ASSURANCE_CLAIM",
    "IDENTITIES",
    "IDENTITY_CLAIM",
    "LOA2",
    "LOA3",
    "NATURAL_PERSON_NUMBER_SCOPE",
    "PASSWORD",
    "Identity",
    "Provider",
    "running_provider",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLIENT_ID = "tillsammans"
DEFAULT_CLIENT_SECRET = "tillsammans-test-client-secret"
STARTUP_TIMEOUT = 60
REQUEST_TIMEOUT = 30
MAX_STEPS = 20


@dataclass(frozen=True)
class Provider:
    """A running test provider, and the relying party registered at it."""

    issuer: str
    client_id: str
    client_secret: str
    log_path: Path | None = None
    """The provider's output (every request, every refused client); gone once it stops."""

    @property
    def discovery_url(self) -> str:
        """The provider's OpenID Connect discovery document."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def log(self) -> str:
        """What the provider has written so far, for a failing test to show."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def sign_in(
        self,
        authorize_url: str,
        username: str,
        browser: requests.Session | None = None,
        must_ask: bool = False,
    ) -> str:
        """Sign in as `username` at the provider, starting from the relying party's redirect.

        Follows the provider's redirects with a fresh session, fills in its login form, and
        returns the first Location that leads away from the provider (the relying party's
        redirect URI with `code` and `state`) without following it. Raises AssertionError if the
        provider shows an error or refuses the sign-in instead.

        `browser` is a session to sign in with (a fresh one by default); with `must_ask`, the
        provider must show its login form, even to a browser that signed in before.
        """
        with contextlib.nullcontext(browser) if browser else requests.Session() as session:
            response = session.get(authorize_url, allow_redirects=False, timeout=REQUEST_TIMEOUT)
            posted = False
            for _ in range(MAX_STEPS):
                if response.is_redirect:
                    location = urljoin(response.url, response.headers["Location"])
                    if not self._serves(location):
                        if must_ask and not posted:
                            raise AssertionError(f"The provider did not ask who {username} is.")
                        return _checked_return(location)
                    response = session.get(location, allow_redirects=False, timeout=REQUEST_TIMEOUT)
                elif response.status_code == 200 and not posted and _login_form(response.text):
                    action, fields = _login_form(response.text)
                    fields.update(username=username, password=PASSWORD)
                    response = session.post(
                        urljoin(response.url, action),
                        data=fields,
                        allow_redirects=False,
                        timeout=REQUEST_TIMEOUT,
                    )
                    posted = True
                else:
                    raise AssertionError(_refusal(response, username, self.log()))
            raise AssertionError(f"The provider redirected more than {MAX_STEPS} times.")

    def _serves(self, url: str) -> bool:
        """Whether `url` is on the provider (by 127.0.0.1 or localhost, at its port)."""
        ours, theirs = urlsplit(self.issuer), urlsplit(url)
        return theirs.hostname in {"127.0.0.1", "localhost"} and theirs.port == ours.port


class _FormParser(HTMLParser):
    """The forms of a page: each one's action and its named inputs with their values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((attributes.get("action", ""), {}))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1][1][attributes["name"]] = attributes.get("value", "")


def _login_form(html: str) -> tuple[str, dict[str, str]] | None:
    """The action and fields (the CSRF token among them) of the page's login form, if any."""
    parser = _FormParser()
    parser.feed(html)
    return next(((action, fields) for action, fields in parser.forms if "password" in fields), None)


def _checked_return(location: str) -> str:
    """The redirect back to the relying party, if it carries an authorization code."""
    query = parse_qs(urlsplit(location).query)
    if "code" not in query:
        error = query.get("error", ["(none)"])[0]
        description = query.get("error_description", [""])[0]
        raise AssertionError(
            f"The provider sent the person back without a code, with error {error!r} "
            f"({description}): {location}"
        )
    return location


def _refusal(response: requests.Response, username: str, log: str) -> str:
    """What the provider showed instead of a redirect, in words for a failing test."""
    text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", response.text, flags=re.DOTALL)
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())[:500]
    # The provider's own explanations, leaving out its request lines ("GET /... HTTP/1.1" 200).
    notes = [line for line in log.splitlines() if line and not line.startswith('"')][-5:]
    return (
        f"The provider answered HTTP {response.status_code} instead of signing in {username!r}: "
        f"{text!r} (at {urlsplit(response.url).path}). Provider log: {notes}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start(
    directory: Path, redirect_uris: list[str], client_id: str, client_secret: str
) -> tuple[subprocess.Popen, int]:
    """Start the provider on a free port; return its process and port once it is READY.

    Tries another port if the chosen one was taken in the meantime.
    """
    log_path = directory / "provider.log"
    for _attempt in range(3):
        port = _free_port()
        command = [sys.executable, "-m", "tests.oidc_provider.serve", "--port", str(port)]
        for uri in redirect_uris:
            command += ["--redirect-uri", uri]
        command += ["--client-id", client_id, "--client-secret", client_secret]
        command += ["--database", str(directory / "provider.sqlite3")]
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            output = log_path.read_text(errors="replace")
            if re.search(r"^READY\b", output, flags=re.MULTILINE):
                return process, port
            if process.poll() is not None:
                break
            time.sleep(0.05)
        else:
            _stop(process)
            raise RuntimeError(
                f"The OIDC provider was not ready within {STARTUP_TIMEOUT} s:\n{output}"
            )
        if "Address already in use" not in output:
            raise RuntimeError(
                f"The OIDC provider exited with code {process.returncode}:\n{output}"
            )
        log_path.write_text("")
    raise RuntimeError(f"The OIDC provider found no free port:\n{output}")


@contextmanager
def running_provider(
    redirect_uris: list[str],
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str = DEFAULT_CLIENT_SECRET,
) -> Iterator[Provider]:
    """A running provider that knows the relying party by these redirect URIs, id and secret.

    The provider runs as a process of its own, with its database in a temporary directory; both
    are gone once the block ends.
    """
    if not redirect_uris:
        raise ValueError("The relying party needs at least one redirect URI.")
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as tmp:
        directory = Path(tmp)
        process, port = _start(directory, list(redirect_uris), client_id, client_secret)
        try:
            yield Provider(
                issuer=f"http://127.0.0.1:{port}/o",
                client_id=client_id,
                client_secret=client_secret,
                log_path=directory / "provider.log",
            )
        finally:
            _stop(process)
