"""Behind a real TLS proxy: Debian's nginx on loopback, running deploy/nginx/offramp.conf, in front of
`offramp serve` in production mode. A staff member signs in with the password and the second factor;
HSTS is sent, nothing loops, and the audit log records the client's address, not the proxy's.

The client connects from 127.0.0.2 (loopback holds all of 127/8) so that its address differs from
the proxy's (127.0.0.1), and it sends a forged X-Forwarded-For that must not be believed.
"""

import datetime as dt
import http.client
import ipaddress
import os
import re
import ssl
import subprocess
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.commands import run_offramp
from tests.ops.servers import free_port, http_get, migrate, offramp_process, production_env, wait_for_port

NGINX = "/usr/sbin/nginx"
SITE_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "offramp.conf"
CLIENT = "127.0.0.2"
FORGED = "203.0.113.9"
PASSWORD = "a long enough passphrase for the proxy test"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx/offramp.conf no longer has exactly one {old!r}"
    return text.replace(old, new)


def nginx_conf(
    folder: Path, *, https_port: int, http_port: int, app_port: int, cert: Path, key: Path
) -> Path:
    """The deployment's site file on loopback ports, inside a minimal main configuration."""
    site = SITE_CONF.read_text()
    site = _replace_once(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = _replace_once(site, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n")
    site = _replace_once(
        site, "    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"
    )
    site = _replace_once(site, "    listen [::]:80;\n", "")
    site = _replace_once(site, "    listen [::]:443 ssl http2;\n", "")
    site = _replace_once(site, "/etc/ssl/offramp/fullchain.pem", str(cert))
    site = _replace_once(site, "/etc/ssl/offramp/privkey.pem", str(key))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers write their temp files in this folder
    temp = "".join(
        f"{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    main = [
        f"{user}worker_processes 1;",
        "daemon off;",
        f"pid {folder / 'nginx.pid'};",
        f"error_log {folder / 'error.log'} warn;",
        "events { worker_connections 64; }",
    ]
    http = [f"access_log {folder / 'access.log'};", temp, site]
    conf.write_text("\n".join(main) + "\nhttp {\n" + "\n".join(http) + "\n}\n")
    return conf


class Browser:
    """Just enough of a browser over HTTPS: cookies, the Origin header on POST, no redirects followed."""

    def __init__(self, port: int, ca: Path):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.context = ssl.create_default_context(cafile=str(ca))
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, **headers):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, source_address=(CLIENT, 0), timeout=30
        )
        headers = {"X-Forwarded-For": FORGED, **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content.decode("utf-8", "replace")

    def get(self, path: str, **headers):
        return self.request("GET", path, **headers)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form=form)


def csrf_token(page: str) -> str:
    return unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))


def totp_now() -> str:
    import time

    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


@pytest.fixture(scope="module", params=[("gunicorn", "2"), ("waitress", "1")], ids=["gunicorn", "waitress"])
def site(request, tmp_path_factory):
    """offramp serve (production, behind a proxy) with an administrator, and nginx in front of it: gunicorn
    with two processes, and waitress in one."""
    server, processes = request.param
    tmp_path = tmp_path_factory.mktemp("proxy")
    if not Path(NGINX).exists():
        pytest.fail("nginx was not found: scripts/test installs Debian's nginx for this test", pytrace=False)
    app_port = free_port()
    https_port = free_port(range(8150, 8160))
    http_port = free_port([p for p in range(8150, 8160) if p != https_port])
    env = production_env(
        tmp_path / "data",
        tmp_path / "secrets",
        OFFRAMP_BEHIND_PROXY="true",
        OFFRAMP_TRUSTED_PROXY="127.0.0.1",
        OFFRAMP_TRUSTED_PROXY_COUNT="1",
    )
    migrate(env)
    (tmp_path / "pw").write_text(PASSWORD)
    created = run_offramp(
        "createadmin",
        "--username",
        "root",
        "--email",
        "root@example.org",
        "--program",
        "north",
        "--program-name",
        "North County LEAD",
        "--password-file",
        str(tmp_path / "pw"),
        env=env,
    )
    assert created.returncode == 0, created.stderr
    enrol = (
        "from allauth.mfa.totp.internal.auth import TOTP; from django.contrib.auth import get_user_model; "
        f"TOTP.activate(get_user_model().objects.get(username='root'), '{TOTP_SECRET}')"
    )
    enrolled = run_offramp("shell", "-c", enrol, env=env)
    assert enrolled.returncode == 0, enrolled.stderr
    proxy = tmp_path / "nginx"
    proxy.mkdir()
    cert, key = self_signed(proxy)
    conf = nginx_conf(
        proxy, https_port=https_port, http_port=http_port, app_port=app_port, cert=cert, key=key
    )
    serve = ("serve", "--port", str(app_port), "--server", server, "--processes", processes)
    with offramp_process(*serve, env=env, port=app_port, log=tmp_path / "serve.log"):
        nginx = subprocess.Popen([NGINX, "-p", str(proxy), "-c", str(conf)], stderr=subprocess.PIPE)  # noqa: S603
        try:
            wait_for_port(https_port, process=nginx)
            yield {
                "browser": Browser(https_port, cert),
                "new_browser": lambda: Browser(https_port, cert),
                "http_port": http_port,
                "app_port": app_port,
                "folder": proxy,
            }
        finally:
            nginx.terminate()
            nginx.wait(timeout=15)


def test_it_signs_in_with_the_second_factor_through_the_proxy_and_audits_the_clients_address(site):
    browser = site["browser"]
    response, page = browser.get("/accounts/login/")
    assert response.status == 200, "a request that came in over TLS is not redirected again"
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"

    form = {
        "csrfmiddlewaretoken": csrf_token(page),
        "login": "root",
        "password": PASSWORD,
        "acknowledge": "on",
    }
    response, _ = browser.post("/accounts/login/", form)
    assert response.status == 302, "CSRF's origin check passes: the request counts as HTTPS"
    assert urlsplit(response.headers["Location"]).path == "/accounts/2fa/authenticate/"

    _, page = browser.get("/accounts/2fa/authenticate/")
    response, _ = browser.post(
        "/accounts/2fa/authenticate/", {"csrfmiddlewaretoken": csrf_token(page), "code": totp_now()}
    )
    assert response.status == 302
    assert urlsplit(response.headers["Location"]).path == "/"
    assert browser.cookies["sessionid"]

    response, page = browser.get("/audit/")
    assert response.status == 200
    row = re.search(r"<tr>(?:(?!</tr>).)*>login<(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    assert f"<td>{CLIENT}</td>" in row
    assert "127.0.0.1" not in page and FORGED not in page, "neither the proxy's address nor a forged one"


def test_it_redirects_plain_http_to_https_at_the_proxy(site):
    status, headers, _ = http_get(f"http://127.0.0.1:{site['http_port']}/accounts/login/")
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1/accounts/login/")


def test_it_ignores_forwarded_headers_from_anyone_but_the_proxy(site):
    # Straight to the app server from another address, claiming to have come through TLS: still plain
    # HTTP to offramp, so redirected, and no HSTS.
    connection = http.client.HTTPConnection("127.0.0.1", site["app_port"], source_address=(CLIENT, 0))
    connection.request(
        "GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": FORGED}
    )
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{site['app_port']}/accounts/login/"
    assert "Strict-Transport-Security" not in response.headers


def test_it_serves_static_files_hashed_compressed_and_cached_for_good(site):
    browser = site["new_browser"]()
    _, page = browser.get("/accounts/login/")
    stylesheet = re.search(r'href="(/static/offramp/site\.[0-9a-f]{12}\.css)"', page).group(1)
    response, _ = browser.get(stylesheet, **{"Accept-Encoding": "br, gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
    response, _ = browser.get(stylesheet, **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_it_answers_health_checks_over_plain_http_on_the_server_itself(site):
    status, headers, body = http_get(f"http://127.0.0.1:{site['app_port']}/healthz")
    assert status == 503, "no worker runs beside this server"
    assert b'"database": "ok"' in body
