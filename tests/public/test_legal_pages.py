"""/impressum/, /datenschutz/, /barrierefreiheit/: the legal pages are public."""


def test_legal_pages_are_public(client, db):
    for kind in ["impressum", "datenschutz", "barrierefreiheit"]:
        from press.models import LegalPage

        LegalPage.objects.create(kind=kind, title=kind.title(), body="<p>Text</p>")
        assert client.get(f"/{kind}/").status_code == 200
