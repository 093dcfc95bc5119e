"""/kontakt/ and /kontakt/<pk>/vcard/: the press contacts, as a page and as a vCard."""

import vobject
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


def get_card(client, contact) -> str:
    return client.get(reverse("press:contact_vcard", args=[contact.pk])).content.decode()


def test_vcard_keeps_line_breaks_commas_semicolons_and_backslashes_inside_their_fields(
    client, press_contact
):
    press_contact.label = "Pressestelle; KoBa, Harz \\ Nord"
    press_contact.address = "Musterstraße 1\r\n38820 Halberstadt\rZimmer\x0b2.14\nÜbergabe " * 3
    press_contact.save()
    text = get_card(client, press_contact)
    card = vobject.readOne(text)
    assert card.fn.value == "Pressestelle; KoBa, Harz \\ Nord"
    assert card.org.value == ["Pressestelle; KoBa, Harz \\ Nord"]
    assert card.label.value == "Musterstraße 1\n38820 Halberstadt\nZimmer\n2.14\nÜbergabe " * 3
    lines = text.split("\r\n")
    assert lines[-1] == "" and "\r" not in text.replace("\r\n", "")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in lines) <= 75


def test_vcard_of_the_office_is_an_organisation_and_of_a_person_a_person(client, press_contact):
    office = vobject.readOne(get_card(client, press_contact))
    assert office.kind.value == "org" and office.fn.value == "Pressestelle KoBa Harz"
    assert office.org.value == ["Pressestelle KoBa Harz"]
    press_contact.person = "Claudia Langer"
    press_contact.save()
    person = vobject.readOne(get_card(client, press_contact))
    assert person.kind.value == "individual" and person.fn.value == "Claudia Langer"
    assert (person.n.value.family, person.n.value.given) == ("Langer", "Claudia")
    assert person.org.value == ["Pressestelle KoBa Harz"]


def test_phone_written_with_the_trunk_zero_links_and_cards_without_it(client, press_contact):
    press_contact.phone = "+49 (0) 3941 12-3456"
    press_contact.fax = "+49 (0)3941 12-3457"
    press_contact.save()
    content = client.get(reverse("press:contacts")).content.decode()
    assert 'href="tel:+493941123456"' in content
    card = vobject.readOne(get_card(client, press_contact))
    assert [tel.value for tel in card.contents["tel"]] == ["+493941123456", "+493941123457"]
