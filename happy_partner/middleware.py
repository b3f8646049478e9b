"""Project middleware."""

from django.middleware.common import CommonMiddleware


class ApiAwareCommonMiddleware(CommonMiddleware):
    """No slash-appending redirects under /api/: a redirected POST loses its body, and API clients
    must get the JSON 404 instead of an HTML 301."""

    def should_redirect_with_slash(self, request):
        if request.path_info.startswith("/api/"):
            return False
        return super().should_redirect_with_slash(request)


# The parent pages' policy: our own scripts, styles and images only (nothing inline, nothing from a
# CDN), sockets back to this host only, no framing. The admin and the API are left as Django ships them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",  # CSP 3: 'self' covers ws: and wss: to this host, and no other
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Sets the Content-Security-Policy of every HTML page outside /admin/ and /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if not path.startswith(("/admin/", "/api/")) and response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
