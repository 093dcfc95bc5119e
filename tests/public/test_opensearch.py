"""The archive's search offered to browsers (OpenSearch 1.1): every public page links the
description, and its template leads to the search."""

from xml.etree import ElementTree

from django.conf import settings

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def test_every_public_page_links_the_search_description(client, published_article):
    for url in ["/", published_article.get_absolute_url(), "/suche/?q=Jobcenter"]:
        page = client.get(url).content.decode()
        assert (
            '<link rel="search" type="application/opensearchdescription+xml" '
            'title="KoBa Harz Presse" href="/opensearch.xml">'
        ) in page, url


def test_the_description_leads_to_the_search_with_the_terms(client, published_article):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    root = ElementTree.fromstring(response.content)
    assert len(root.find("os:ShortName", NS).text) <= 16  # the specification's limit
    [html] = [url for url in root.findall("os:Url", NS) if url.get("type") == "text/html"]
    template = html.get("template")
    assert template == f"{settings.SITE_URL}/suche/?q={{searchTerms}}"
    search = client.get(
        template.replace(settings.SITE_URL, "").replace("{searchTerms}", "Vorspann")
    )
    assert search.status_code == 200
    assert published_article.title in search.content.decode()
    assert root.find("os:Image", NS).text == f"{settings.SITE_URL}/favicon.ico"
    assert client.get("/favicon.ico").status_code == 200
