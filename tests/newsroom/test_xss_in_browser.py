"""An XSS corpus entered through the admin in every text field never executes: not on any public
page, not in the admin preview, not in the admin itself. Checked in real Chromium (Debian's
package), with the Content-Security-Policy switched off in the browser, so that what is proved
is the escaping and sanitising, not only the CSP behind it."""

from io import BytesIO
from itertools import cycle

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from press.models import Article, LegalPage, Photo, PressContact, Spokesperson, Topic
from tests.forms import form_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(2)</script>',
    "<img src=x onerror=alert(3)>",
    "<svg onload=alert(4)>",
    "<svg><script>alert(5)</script></svg>",
    '<a href="javascript:alert(6)">klick</a>',
    '<a href="data:text/html,<script>alert(7)</script>">x</a>',
    '<iframe src="javascript:alert(8)"></iframe>',
    "<body onload=alert(9)>",
    '<!--<img src="--><img src=x onerror=alert(10)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    "'-alert(12)-'",
    "</script><script>alert(13)</script>",
    "<details open ontoggle=alert(14)>",
    "<p/onmouseover=alert(15)>Text",
    "<<script>alert(16);//<</script>",
    '<a href="jav&#x09;ascript:alert(17)">y</a>',
    "<style>@import 'javascript:alert(18)';</style>",
]


def jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (300, 200), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def post_admin_form(client, url: str, values: dict, files: dict | None = None, form_id=None):
    data = form_data(client.get(url).content.decode(), form_id)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in values.items()}
    )
    response = client.post(url, {**data, **(files or {})})
    if response.status_code != 302:
        context = response.context or {}
        form = context.get("adminform")
        errors = form.form.errors if form else response.content.decode()[:2000]
        inline_errors = [
            inline.formset.errors for inline in context.get("inline_admin_formsets", [])
        ]
        pytest.fail(f"{url}: {errors} {inline_errors}")


@pytest.fixture
def poisoned_archive(client, editor, approver, administrator):
    """Everything a press office types, typed by an attacker, through the admin's own forms."""
    payload = cycle(PAYLOADS)
    client.force_login(approver)
    post_admin_form(
        client,
        reverse("admin:press_topic_add"),
        {"name": "Thema " + next(payload)[:80], "slug": "thema", "description": next(payload)},
    )
    post_admin_form(
        client,
        reverse("admin:press_spokesperson_add"),
        {"name": "Person " + next(payload), "slug": "person", "function": next(payload),
         "organisation": next(payload)},
    )  # fmt: skip
    post_admin_form(
        client,
        reverse("admin:press_presscontact_add"),
        {"label": next(payload), "person": next(payload), "phone": "03943 " + next(payload)[:40],
         "fax": next(payload)[:50], "email": "presse@koba-jobcenter-harz.de",
         "address": next(payload), "is_default": "on"},
    )  # fmt: skip
    post_admin_form(
        client,
        reverse("admin:press_photo_add"),
        {"alt_text": next(payload), "caption": next(payload), "credit": next(payload),
         "usage_rights": next(payload)},
        files={"image": SimpleUploadedFile("foto.jpg", jpeg(), content_type="image/jpeg")},
    )  # fmt: skip
    topic, person = Topic.objects.get(), Spokesperson.objects.get()
    photo, contact = Photo.objects.get(), PressContact.objects.get()

    client.force_login(editor)
    post_admin_form(
        client,
        reverse("admin:press_article_add"),
        {
            "kicker": next(payload),
            "title": "Jobcenter " + next(payload),
            "lead": "Vorspann Jobcenter " + next(payload),
            "body": "<p>Jobcenter</p>" + "".join(PAYLOADS),
            "topics": str(topic.pk),
            "lead_photo": str(photo.pk),
            "photos": str(photo.pk),
            "press_contact": str(contact.pk),
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-spokesperson": str(person.pk),
            "quotes-0-text": next(payload),
            "quotes-0-function": next(payload),
            "quotes-0-position": "0",
        },
        form_id="article_form",
    )
    article = Article.objects.get()
    for action, user in [("submit", editor), ("publish", approver)]:
        client.force_login(user)
        article.refresh_from_db()
        response = client.post(
            reverse("admin:press_article_workflow", args=[article.pk, action]),
            {"comment": "", "version": article.version},  # the version the approver reviewed
        )
        assert response.status_code == 302
    client.force_login(approver)
    post_admin_form(
        client,
        reverse("admin:press_article_change", args=[article.pk]),
        {"correction_note": "Korrektur " + next(payload), "lead": "Jobcenter " + next(payload)},
        form_id="article_form",
    )
    client.force_login(administrator)
    post_admin_form(
        client,
        reverse("admin:press_legalpage_add"),
        {"kind": "impressum", "title": next(payload), "body": "".join(PAYLOADS)},
    )
    article.refresh_from_db()
    assert article.is_public() and article.corrected_at
    assert LegalPage.objects.exists()
    return article


# What may never be in a page's DOM: event handler attributes, script URLs, and (on public
# pages) any script that is not JSON-LD data.
DOM_CHECK = """(publicPage) => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    // CKEditor's own toolbar uses handlers and javascript: links; what it edits is checked
    // by CKEditor's content filter and, on saving, by ours.
    if (element.closest('.cke')) continue;
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attribute.name.startsWith('on')) found.push(element.tagName + ' ' + attribute.name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attribute.name)
          && (value.startsWith('javascript:') || value.startsWith('data:text')))
        found.push(element.tagName + ' ' + attribute.name + '=' + value);
    }
  }
  if (publicPage) {
    // Only data (JSON-LD) and the site's own script files (the print button's); never
    // inline code, never a script from elsewhere.
    const own = location.origin + '/static/js/';
    for (const script of document.querySelectorAll('script')) {
      const data = script.type === 'application/ld+json';
      const ownFile = script.src.startsWith(own) && !script.textContent.trim();
      if (!data && !ownFile) found.push(script.outerHTML.slice(0, 80));
    }
    for (const frame of document.querySelectorAll('iframe, object, embed')) {
      found.push(frame.tagName);
    }
  }
  return found;
}"""


def test_no_payload_executes_anywhere(live_server, client, poisoned_archive, approver, chromium):
    article = poisoned_archive
    client.force_login(approver)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    public_pages = [
        "/",
        article.get_absolute_url(),
        f"/{article.publish_at.year}/",
        "/suche/?q=Jobcenter",
        "/suche/?q=" + "%3Cscript%3Ealert(99)%3C%2Fscript%3E",
        "/themen/",
        "/themen/thema/",
        "/sprecher/",
        "/sprecher/person/",
        "/kontakt/",
        "/impressum/",
    ]
    admin_pages = [
        reverse("admin:press_article_preview", args=[article.pk]),
        reverse("admin:press_article_change", args=[article.pk]),
        reverse("admin:press_article_changelist"),
        reverse("admin:press_article_revisions", args=[article.pk]),
        reverse("admin:press_photo_changelist"),
        reverse("admin:press_spokesperson_changelist"),
    ]
    dialogs, errors = [], []
    context = chromium.new_context(bypass_csp=True, locale="de-DE")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    for path in public_pages + admin_pages:
        response = page.goto(live_server.url + path)
        assert response.status < 400, (path, response.status)
        page.wait_for_load_state("load")
        # Hover and focus everything that could carry a handler, open every <details>.
        page.mouse.move(10, 10)
        page.mouse.move(400, 400)
        page.keyboard.press("Tab")
        public = path in public_pages or path.endswith("/preview/")
        found = page.evaluate(DOM_CHECK, public)
        assert not found, (path, found)
    context.close()
    assert not dialogs, dialogs
    assert not errors, errors


def editor_status(page, attempts: int = 100) -> str:
    """CKEditor draws its frame a moment before it reports "ready"; poll (evaluate, unlike
    wait_for_function, needs no eval) until it does or clearly never will."""
    for _ in range(attempts):
        status = page.evaluate("() => CKEDITOR.instances.id_body.status")
        if status == "ready":
            break
        page.wait_for_timeout(100)
    return status


def test_ckeditor_works_under_the_admins_content_security_policy(
    live_server, client, editor, draft_article, chromium
):
    """The admin policy is what CKEditor 4 needs: with it enforced, the editor starts and
    Chromium reports no violation."""
    client.force_login(editor)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    messages = []
    context = chromium.new_context(locale="de-DE")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + reverse("admin:press_article_change", args=[draft_article.pk]))
    # Playwright's wait_for_function needs eval, which the policy rightly forbids: wait for
    # what CKEditor draws instead.
    page.wait_for_selector(".cke_button__bold")
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    assert editor_status(page) == "ready"
    page.click(".cke_button__bold")  # an inline handler: it runs under the policy
    assert page.evaluate("CKEDITOR.instances.id_body.getCommand('bold').state") == 1
    context.close()
    assert not [text for text in messages if "Content Security Policy" in text], messages
