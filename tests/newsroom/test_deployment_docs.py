"""The README's nginx example fits the app (issue 12, item 13): it takes a photo of the largest
size the admin accepts, and the scheme Django trusts comes from the proxy, not the client."""

import re
from pathlib import Path

from django.conf import settings

from press.photos import MAX_UPLOAD_BYTES

README = Path(__file__).resolve().parents[2] / "README.md"


def nginx_example() -> str:
    return re.search(r"```nginx\n(.*?)```", README.read_text(), re.DOTALL).group(1)


def test_the_proxy_accepts_a_photo_of_the_largest_size_with_its_form():
    size = re.search(r"client_max_body_size\s+(\d+)m;", nginx_example())
    assert size, "nginx's default is 1 MB"
    assert int(size.group(1)) * 2**20 > MAX_UPLOAD_BYTES


def test_the_proxy_sets_the_scheme_that_django_trusts_itself():
    example = nginx_example()
    # proxy_set_header replaces whatever the client sent under that name.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in example
    assert "$http_x_forwarded_proto" not in example
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
