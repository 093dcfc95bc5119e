"""The admin's Content-Security-Policy in real Chromium (issue 12, item 12): an inline <script>
does not run, and CKEditor 4 still does everything an editor needs, with no violation
reported."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs before the page's own scripts, through the DevTools protocol (not subject to the page's
# policy): records what the policy blocks in the page and in CKEditor's same-origin frames.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    (window.top.__violations || window.__violations).push(
        event.effectiveDirective + " " + (event.blockedURI || "") + " " + (event.sample || "")
    );
});
"""

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.head.appendChild(script);
    return window.__injected === true;
}"""


@pytest.fixture
def admin_page(live_server, client, chromium):
    """open(user, path): a Chromium page logged in as `user` at `path`, with the policy
    enforced; page.messages collects the console."""
    contexts = []

    def open_page(user, path):
        client.force_login(user)
        context = chromium.new_context(locale="de-DE")
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.messages = []
        page.on("console", lambda message: page.messages.append(message.text))
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def csp_messages(page) -> list[str]:
    return [text for text in page.messages if "Content Security Policy" in text]


def editor_ready(page, attempts: int = 100) -> bool:
    """CKEditor draws its frame a moment before it reports "ready"; poll (evaluate, unlike
    wait_for_function, needs no eval) until it does or clearly never will."""
    for _ in range(attempts):
        if page.evaluate("() => CKEDITOR.instances.id_body.status") == "ready":
            return True
        page.wait_for_timeout(100)
    return False


@pytest.mark.parametrize("page_name", ["editor", "list"])
def test_an_inline_script_does_not_run_in_the_admin(admin_page, editor, draft_article, page_name):
    path = {
        "editor": reverse("admin:press_article_change", args=[draft_article.pk]),
        "list": reverse("admin:press_article_changelist"),
    }[page_name]
    page = admin_page(editor, path)
    page.wait_for_load_state("load")
    assert page.evaluate(INJECT_INLINE_SCRIPT) is False
    assert any("script-src" in violation for violation in page.evaluate("window.__violations"))


def test_the_editor_works_with_no_violation_reported(admin_page, editor, draft_article):
    page = admin_page(editor, reverse("admin:press_article_change", args=[draft_article.pk]))
    page.wait_for_selector(".cke_button__bold")
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    assert editor_ready(page)

    # Toolbar buttons, wired by inline handlers.
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    page.click(".cke_button__bold")
    assert page.evaluate("CKEDITOR.instances.id_body.getCommand('bold').state") == 1
    page.keyboard.type("fett")
    # The paragraph format list: a panel in a frame of its own.
    page.click(".cke_combo__format .cke_combo_button")
    panel = page.frame_locator("iframe.cke_panel_frame")
    panel.locator("a[title='Überschrift 2'], a[title='Heading 2']").first.click()
    # The link dialog.
    page.click(".cke_button__link")
    page.wait_for_selector(".cke_dialog input.cke_dialog_ui_input_text")
    page.fill(".cke_dialog input.cke_dialog_ui_input_text >> nth=1", "koba-jobcenter-harz.de")
    page.click(".cke_dialog_ui_button_ok")
    # A list, the context menu (another frame), undo.
    page.click(".cke_button__bulletedlist")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click(button="right")
    page.wait_for_selector("iframe.cke_menu_panel, .cke_menu_panel iframe")
    page.keyboard.press("Escape")
    page.click(".cke_button__undo")
    data = page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert "<h2>" in data and "<strong>" in data and "koba-jobcenter-harz.de" in data

    assert page.evaluate("window.__violations") == []
    assert csp_messages(page) == []
