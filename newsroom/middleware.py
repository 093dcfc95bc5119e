"""Site-wide response rules: the Content-Security-Policy of public pages and the admin."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy of settings.CONTENT_SECURITY_POLICY everywhere, except in the admin:
    CKEditor 4 sets inline styles and wires its toolbar with inline event handlers
    (onclick="CKEDITOR.tools.callFunction(…)"), so the admin allows inline styles and scripts,
    still from no other host. What editors type is sanitised on the server either way."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/") and parts.config is None:
            directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
            directives["style-src"] = ["'self'", "'unsafe-inline'"]
            directives["script-src"] = ["'self'", "'unsafe-inline'"]
            directives["frame-src"] = ["'self'"]
            parts.config = directives
        return parts
