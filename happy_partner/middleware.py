"""Project middleware."""

from django.middleware.common import CommonMiddleware


class ApiAwareCommonMiddleware(CommonMiddleware):
    """No slash-appending redirects under /api/: a redirected POST loses its body, and API clients
    must get the JSON 404 instead of an HTML 301."""

    def should_redirect_with_slash(self, request):
        if request.path_info.startswith("/api/"):
            return False
        return super().should_redirect_with_slash(request)
