"""404 and 500: the site answers with its own error pages."""


def test_unknown_address_answers_the_sites_own_404_page(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Seite nicht gefunden" in content and 'class="skip-link"' in content


def test_server_error_page_renders_without_database_or_request(db):
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Ein Fehler ist aufgetreten" in html and '<html lang="de">' in html
