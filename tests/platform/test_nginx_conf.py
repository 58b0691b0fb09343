"""platform/nginx.conf, the proxy production runs: compression, how long browsers keep static
files, the websocket upgrade, and the proxy headers, which nginx sets from what it decided itself
and never passes on from the client.

Read as configuration first (tests/platform/nginx_conf.py); the last tests run nginx itself with
the file (as bench/topology.py renders it for the rehearsal) in front of a small server that
echoes the headers it gets. `make test` installs nginx; under CI a missing nginx fails them.
"""

import http.client
import ipaddress
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.base import ContentFile

from bench.topology import render_main_conf, render_site_conf, web_services
from tests.platform.nginx_conf import parse

ROOT = Path(__file__).resolve().parents[2]
CONF = parse((ROOT / "platform" / "nginx.conf").read_text())
SERVER = CONF.one("server")
PROXIED = {"/": SERVER.one("location", "/"), "/ws/": SERVER.one("location", "/ws/")}
DAY = 86400
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": DAY, "w": 7 * DAY, "M": 30 * DAY, "y": 365 * DAY}


def seconds(duration: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smhdwMy]?)", duration).groups()
    return int(number) * SECONDS.get(unit, 1)


def hashed_location():
    static = SERVER.one("location", "/static/")
    (location,) = static.all("location", "~")
    return location


def test_each_new_connection_goes_to_the_web_service_that_holds_fewer():
    """Both web services of docker-compose.yml, least_conn: kept-alive connections and sockets
    stay where they were sent, so they are shared as they open (decision 0022)."""
    upstream = CONF.one("upstream", "tillsammans_web")
    assert upstream.values("least_conn") == [[]]
    assert upstream.values("server") == [["web:8000"], ["web-2:8000"]]
    assert {"web", "web-2"} <= set(web_services())
    # Every web service of compose, and no other: a web-3 added there is listed here too.
    assert upstream.values("server") == [[f"{name}:8000"] for name in web_services()]
    for location in PROXIED.values():
        assert location.one("proxy_pass").args == ["http://tillsammans_web"]


def test_text_responses_are_compressed_and_marked_as_varying():
    assert SERVER.one("gzip").args == ["on"]
    assert SERVER.one("gzip_vary").args == ["on"]
    # Requests reach nginx through the TLS terminator, which may add Via: compress those too.
    assert SERVER.one("gzip_proxied").args == ["any"]
    types = set(SERVER.one("gzip_types").args)
    assert {"text/css", "application/javascript", "text/javascript"} <= types
    assert {"application/json", "image/svg+xml"} <= types
    # text/html is always compressed once gzip is on (nginx warns when it is listed again).
    assert "text/html" not in types


def test_static_files_with_a_content_hash_are_cached_for_a_year_as_immutable():
    location = hashed_location()
    assert location.one("expires").args == ["1y"]
    assert location.one("add_header", "Cache-Control").args[1:] == ["public, immutable"]
    # add_header inside a location replaces the outer ones, so nosniff is repeated.
    assert location.one("add_header", "X-Content-Type-Options").args[1:] == ["nosniff"]


def test_the_hashed_names_are_the_ones_the_manifest_storage_writes(tmp_path):
    """The pattern of the year-long location against the names Django's manifest storage (which
    WhiteNoise's CompressedManifestStaticFilesStorage extends, STORAGES) gives a file."""
    pattern = hashed_location().args[1]
    storage = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    for name in ("css/site.css", "django_htmx/htmx-2.min.js", "img/logo.svg"):
        hashed = storage.hashed_name(name, content=ContentFile(b"body { color: red }"))
        assert re.search(pattern, f"/static/{hashed}"), hashed
        assert not re.search(pattern, f"/static/{name}"), name


def test_unhashed_static_files_are_cached_briefly_and_served_precompressed():
    static = SERVER.one("location", "/static/")
    assert static.one("alias").args == ["/srv/static/"]
    assert seconds(static.one("expires").args[0]) <= 86400
    assert not [args for args in static.values("add_header") if "immutable" in " ".join(args)]
    # WhiteNoise writes a .gz beside each text file at collectstatic; nginx sends it as it is.
    assert static.one("gzip_static").args == ["on"]


def test_websockets_are_upgraded_on_ws_and_stay_open():
    location = PROXIED["/ws/"]
    headers = location.headers_set()
    assert location.one("proxy_http_version").args == ["1.1"]
    assert headers["Upgrade"] == "$http_upgrade"
    assert headers["Connection"] == "$connection_upgrade"
    upgrade = {entry.name: entry.args for entry in CONF.one("map", "$http_upgrade").children}
    assert upgrade == {"default": ["upgrade"], "": ["close"]}
    assert seconds(location.one("proxy_read_timeout").args[0]) >= 600


@pytest.mark.parametrize("path", PROXIED)
def test_forwarded_headers_are_set_from_nginx_own_variables(path):
    headers = PROXIED[path].headers_set()
    assert headers["X-Forwarded-Proto"] == "$forwarded_proto"
    assert headers["X-Forwarded-For"] == "$client_address"
    assert headers["X-Real-IP"] == "$client_address"
    assert headers["Host"] == "$host"
    # Nothing the client sent goes on as it came, nor appended to ($proxy_add_x_forwarded_for).
    for value in headers.values():
        assert "$http_x_" not in value
        assert "$proxy_add_x_forwarded_for" not in value


def test_only_the_tls_terminator_is_believed_about_the_client_and_the_scheme():
    geo = CONF.one("geo", "$from_tls_terminator")
    assert geo.one("default").args == ["0"]
    trusted = [entry.name for entry in geo.children if entry.args == ["1"]]
    assert trusted
    assert all(ipaddress.ip_network(network).is_private for network in trusted)
    client = CONF.one("map", "$from_tls_terminator $forwarded_for_last", "$client_address")
    assert client.one("default").args == ["$remote_addr"]
    assert [entry.name for entry in client.children if entry.name != "default"] == [
        r"~^1 (?<address>\S+)$"
    ]
    scheme = CONF.one("map", "$from_tls_terminator $http_x_forwarded_proto", "$forwarded_proto")
    entries = {entry.name: entry.args for entry in scheme.children}
    assert entries == {"default": ["$scheme"], "1 https": ["https"], "1 http": ["http"]}


# --- nginx itself --------------------------------------------------------------------------------


class EchoHeaders(BaseHTTPRequestHandler):
    """Answers with the request's headers as JSON, padded past gzip_min_length, as HTML."""

    def do_GET(self):
        body = json.dumps({**dict(self.headers), "padding": "x" * 2000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """nginx with platform/nginx.conf, 127.0.0.2 as the only TLS terminator, in front of
    EchoHeaders; yields its port."""
    binary = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required under CI (make test installs it)")
        pytest.skip("nginx is not installed")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoHeaders)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = folder / "default.conf"
    site.write_text(
        render_site_conf(
            upstreams=[f"127.0.0.1:{upstream.server_port}"],
            listen=f"127.0.0.1:{port}",
            static_dir=folder / "static",
            media_dir=folder / "media",
            tls_terminators=["127.0.0.2/32"],
        )
    )
    main = folder / "nginx.conf"
    main.write_text(render_main_conf(folder, site))
    (folder / "tmp").mkdir()
    process = subprocess.Popen(
        [binary, "-c", str(main), "-p", f"{folder}/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail((folder / "error.log").read_text())
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()


def echoed(port: int, source: str, headers: dict) -> tuple[dict, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0))
    connection.request("GET", "/", headers=headers)
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    if answer.getheader("Content-Encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    return json.loads(body), answer


SPOOFED = {
    "X-Forwarded-For": "6.6.6.6, 203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Real-IP": "6.6.6.6",
}


def test_nginx_replaces_what_any_other_peer_claims_with_its_own_view(nginx):
    headers, _answer = echoed(nginx, "127.0.0.1", SPOOFED)
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Real-IP"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"


def test_nginx_takes_the_client_and_scheme_the_tls_terminator_saw(nginx):
    headers, _answer = echoed(nginx, "127.0.0.2", SPOOFED)
    assert headers["X-Forwarded-For"] == "203.0.113.7"  # the address the terminator appended
    assert headers["X-Real-IP"] == "203.0.113.7"
    assert headers["X-Forwarded-Proto"] == "https"


def test_nginx_compresses_proxied_pages(nginx):
    _headers, answer = echoed(nginx, "127.0.0.2", {"Accept-Encoding": "gzip"})
    assert answer.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in answer.getheader("Vary")
