"""/sitemap.xml and /robots.txt: valid XML with the public addresses; crawlers are sent to
the sitemap and kept out of the admin."""

from xml.etree import ElementTree

from django.urls import reverse


def test_sitemap_is_valid_xml_with_public_articles_and_pages(client, archive, topic):
    public, _hidden = archive
    response = client.get(reverse("press:sitemap"))
    root = ElementTree.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [element.text for element in root.findall("s:url/s:loc", namespace)]
    assert any(location.endswith(public.get_absolute_url()) for location in locations)
    assert any(location.endswith(topic.get_absolute_url()) for location in locations)
    assert sum(1 for location in locations if "/20" in location) == 1


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
