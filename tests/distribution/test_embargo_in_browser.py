"""The embargo preview page in real Chromium (issue 14): no WCAG 2.1 AA violation (axe-core),
its photo shows under the site's Content-Security-Policy, and nothing is requested from
another host."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from distribution.models import AccreditedRecipient, Delivery
from tests.conftest import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def preview(live_server, make_article, make_photo, approver):
    """The live address of an advance copy's preview (the step commits at once here, so the
    copy is written as in production)."""
    ensure_roles()
    AccreditedRecipient.objects.create(
        name="Anna Berg", email="anna.berg@mz-web.de", medium="MZ", consent="schriftlich",
        consent_on=date(2026, 2, 3),
    )  # fmt: skip
    article = make_article("in_review", title="Vorab: Neue Zahlen", lead_photo=make_photo())
    article.publish(by=approver, at=timezone.now() + timedelta(hours=1), advance_copies=True)
    token = Delivery.objects.get(occasion__startswith="advance:").token
    return f"{live_server.url}/verteiler/sperrfrist/{token}/"


def test_the_preview_page_passes_axe_and_shows_its_photo_from_its_own_host(preview, chromium):
    context = chromium.new_context(locale="de-DE", bypass_csp=True)  # axe is injected
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    assert page.goto(preview, wait_until="networkidle").status == 200
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    assert violations == []
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(preview).netloc}
    context.close()

    context = chromium.new_context(locale="de-DE")  # the site's own policy applies
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(preview, wait_until="networkidle")
    width = page.eval_on_selector(".embargo-preview img", "image => image.naturalWidth")
    assert width > 0
    assert errors == []
    assert "SPERRFRIST" in page.inner_text(".embargo-banner")
    context.close()
