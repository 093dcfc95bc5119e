"""One source of absolute addresses, settings.SITE_URL: canonical links, Open Graph, JSON-LD,
feed ids, sitemaps and robots.txt never name the request's host or scheme; and in development
`make run PORT=8101` serves on that port with SITE_URL following it."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

SITE = "https://presse.example.org:8443"
# A host name Django accepts, on a port and with a scheme header that a client chose.
FOREIGN = {"HTTP_HOST": "localhost:6666", "HTTP_X_FORWARDED_PROTO": "http"}
# Absolute addresses that name one of our hosts (not XML namespaces or schema.org).
OUR_HOSTS = re.compile(
    r"https?://(?:presse\.example\.org|localhost|127\.0\.0\.1|testserver)[^\s\"'<>]*"
)
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]


def our_addresses(text: str) -> list[str]:
    return OUR_HOSTS.findall(text)


def test_every_absolute_address_of_the_public_site_is_on_site_url(
    client, site_url, published_article, quote
):
    topic = published_article.topics.get()
    urls = [
        published_article.get_absolute_url(),
        reverse("press:feed_rss"),
        reverse("press:feed_atom"),
        reverse("press:topic_feed", args=[topic.slug]),
        reverse("press:sitemap"),
        reverse("press:news_sitemap"),
        reverse("press:robots"),
    ]
    for url in urls:
        response = client.get(url, **FOREIGN)
        assert response.status_code == 200, url
        addresses = our_addresses(response.content.decode())
        assert addresses, f"{url} names no absolute address"
        wrong = [address for address in addresses if not address.startswith(f"{SITE}/")]
        assert wrong == [], url


def test_the_article_page_names_site_url_in_canonical_open_graph_and_json_ld(
    client, site_url, published_article
):
    expected = f"{SITE}{published_article.get_absolute_url()}"
    content = client.get(published_article.get_absolute_url(), **FOREIGN).content.decode()
    assert f'<link rel="canonical" href="{expected}">' in content
    assert f'<meta property="og:url" content="{expected}">' in content
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )
    assert data["url"] == data["mainEntityOfPage"] == expected


def test_feed_ids_are_on_site_url(client, site_url, published_article):
    atom = client.get(reverse("press:feed_atom"), **FOREIGN).content.decode()
    ids = re.findall(r"<id>(.*?)</id>", atom)
    assert ids and all(value.startswith(f"{SITE}/") for value in ids)
    rss = client.get(reverse("press:feed_rss"), **FOREIGN).content.decode()
    guids = re.findall(r"<guid[^>]*>(.*?)</guid>", rss)
    assert guids and all(value.startswith(f"{SITE}/") for value in guids)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(process: subprocess.Popen, pattern: str, seconds: float) -> str:
    """The output of `process` up to the first line that contains `pattern`."""
    deadline = time.monotonic() + seconds
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line)
        if pattern in line:
            return "".join(lines)
    raise AssertionError(f"{pattern!r} not printed:\n{''.join(lines)}")


def get(url: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# `make run` is the embedded default's (SQLite) command: run once, in the SQLite part of CI.
@pytest.mark.sqlite_only
def test_make_run_with_a_port_prints_it_serves_there_and_links_on_it(tmp_path):
    """`make run PORT=…` for real (without its install steps, on a database of its own): the
    address is printed, the server answers there, and robots.txt, the sitemap and the feed
    name that port."""
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "HOST", "DJANGO_SETTINGS_MODULE", "MAKEFLAGS", "MAKELEVEL"}
    }
    environment |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONUNBUFFERED": "1",
    }
    command = ["make", "run", f"PORT={port}", "-o", "install", "-o", "system-packages"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: honcho, the server and the worker
    )
    site = f"http://127.0.0.1:{port}"
    try:
        output = read_until(process, "Server:", seconds=240)
        assert f"Server: {site}/ (SITE_URL={site})" in output
        assert f"{site}/admin/" in output  # load_demo's log-in hint, on the same address
        robots = get(f"{site}/robots.txt", seconds=60)
        assert f"Sitemap: {site}/sitemap.xml" in robots
        sitemap = get(f"{site}/sitemap.xml", seconds=10)
        assert f"<loc>{site}/</loc>" in sitemap
        assert f"<link>{site}/</link>" in get(f"{site}/feed/rss/", seconds=10)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a developer stops it
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()
