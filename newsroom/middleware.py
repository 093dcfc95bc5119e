"""Site-wide response rules: the Content-Security-Policy of public pages and the admin, and which
static files are served at all."""

from __future__ import annotations

import base64
import functools
import hashlib

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from whitenoise.middleware import WhiteNoiseMiddleware

from newsroom.static_files import is_withheld

# The script every page that shows CKEditor 4 loads (ckeditor.widgets.CKEditorWidget.media),
# under its collected name too ("ckeditor/ckeditor/ckeditor.1a2b3c.js").
EDITOR_SCRIPT = "/ckeditor/ckeditor/ckeditor."
# Where the admin's own policy applies (newsroom/urls.py mounts the admin there).
ADMIN_PREFIX = "/admin/"


def editor_frame_script_hash(handler: int) -> str:
    """The CSP source ('sha256-…', CSP Level 2 §4.2.4) of the one inline <script> CKEditor 4
    writes into its editing frame (plugin wysiwygarea, 4.22): it tells the page that the frame
    is ready by calling function number `handler` of CKEDITOR.tools.addFunction. The number is
    the count of functions the editor registered before, the same on every page with one
    editor of our configuration; a change of CKEditor or of its toolbar changes it, and
    tests/newsroom/test_csp_in_browser.py then finds the editor not starting."""
    script = (
        "var wasLoaded=0;function onload(){if(!wasLoaded)window.parent.CKEDITOR && "
        f"window.parent.CKEDITOR.tools.callFunction({handler},window);wasLoaded=1;}}"
        'document.addEventListener("DOMContentLoaded", onload, false );'
    )
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return f"'sha256-{digest}'"


EDITOR_FRAME_SCRIPT = editor_frame_script_hash(37)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy of settings.CONTENT_SECURITY_POLICY everywhere, with two exceptions
    in the admin, still from no other host:

    - every admin page allows inline styles (Django's admin and CKEditor set style attributes;
      CKEditor adds <style> elements to its frames);
    - a page that shows CKEditor 4 allows inline event handlers (`script-src-attr`), because
      CKEditor wires its toolbar, lists and dialogs with them
      (onclick="CKEDITOR.tools.callFunction(12,this)"), numbered as they are created, so no
      list of hashes can name them. Inline <script> elements and javascript: URLs stay
      forbidden there too (`script-src 'self'`, CSP Level 3: script-src-attr governs only
      handlers; a browser without it falls back to script-src, and the toolbar does not work).

    What editors type is sanitised on the server either way (press/sanitize.py).

    Speed trick, kept because it pays: a response that nothing but the settings shape (no
    admin page, no nonce, no csp decorator) gets the headers django-csp builds from the
    settings, built once per process (`settings_policy()`); django-csp builds them anew for
    every response. Measured 2026-12-02 (20,000 articles on PostgreSQL, page cache off):
    django-csp's header was 0.4 M of the article page's 4.3 M instructions; with the public
    pages' own middleware (public.page_cache.public_page_chain), 14–18 % of an uncached
    page's instructions went (README "Benchmark")."""

    # Where django-csp's decorators leave what shapes the policy of one response.
    RESPONSE_PARTS = (
        "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
        "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
    )  # fmt: skip

    def process_response(self, request, response):
        policies = settings_policy()
        if (
            policies is None
            or request.path_info.startswith(ADMIN_PREFIX)
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.RESPONSE_PARTS)
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        for header, value in policies:
            if header not in response:
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def process_template_response(self, request, response):
        media = (response.context_data or {}).get("media")
        if media is not None and EDITOR_SCRIPT in str(media):
            request._shows_editor = True
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX) and parts.config is None:
            directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
            directives["style-src"] = ["'self'", "'unsafe-inline'"]
            directives["frame-src"] = ["'self'"]
            if getattr(request, "_shows_editor", False):
                directives["script-src"] = ["'self'", EDITOR_FRAME_SCRIPT]
                directives["script-src-attr"] = ["'unsafe-inline'"]
            parts.config = directives
        return parts


@functools.cache
def settings_policy() -> tuple[tuple[str, str], ...] | None:
    """(header, value) of the policies settings.CONTENT_SECURITY_POLICY and
    CONTENT_SECURITY_POLICY_REPORT_ONLY set, as django-csp builds them; computed once, again
    after a test overrides a setting. None when a policy excludes paths (EXCLUDE_URL_PREFIXES:
    then django-csp decides per request)."""
    if any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    ):
        return None
    policies = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
    return tuple((header, value) for header, value in policies if value)


@receiver(setting_changed)
def forget_settings_policy(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy.cache_clear()


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, which does not serve what newsroom.static_files withholds, even where an
    older `collectstatic` left it in STATIC_ROOT: the request goes on to Django, which answers
    404."""

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.static_prefix) and is_withheld(path[len(self.static_prefix) :]):
            return self.get_response(request)
        return super().__call__(request)
