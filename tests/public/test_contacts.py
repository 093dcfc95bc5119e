"""/kontakt/ and /kontakt/<pk>/vcard/: the press contacts, as a page and as a vCard."""

from django.urls import reverse


def test_contact_page_and_vcard(client, press_contact):
    content = client.get(reverse("press:contacts")).content.decode()
    assert "Pressestelle KoBa Harz" in content and 'href="tel:+4939435832' in content
    response = client.get(reverse("press:contact_vcard", args=[press_contact.pk]))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert 'filename="pressestelle-koba-harz.vcf"' in response["Content-Disposition"]
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "TEL;TYPE=WORK,VOICE:+49394358323" in card
    assert "EMAIL;TYPE=INTERNET,WORK:presse@koba-jobcenter-harz.de" in card
    assert card.endswith("END:VCARD\r\n")
