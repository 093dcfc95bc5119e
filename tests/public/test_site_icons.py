"""The office's icon on every public page: SVG for browsers, /favicon.ico for clients that ask
at the root, and a 180 px PNG for the home screens of phones (/apple-touch-icon.png, which iOS
also asks for without a link)."""

from io import BytesIO

from PIL import Image


def test_the_public_pages_link_the_home_screen_icon_and_it_is_served(client, db):
    content = client.get("/").content.decode()
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in content
    response = client.get("/apple-touch-icon.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    icon = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "PNG" and icon.size == (180, 180)


def test_favicon_ico_holds_the_sizes_browsers_ask_for(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    icon = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]
