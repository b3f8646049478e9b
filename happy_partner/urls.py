import sys

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from happy_partner.api.errors import json_not_found, json_server_error, unavailable_error
from happy_partner.graphql.view import GraphQLView
from happy_partner.views import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("accounts.api.urls")),
    path("api/v1/", include("conversations.api.urls")),
    path("api/v1/", include("audio.api.urls")),
    path("api/v1/", include("archive.api.urls")),
    path("api/v1/graphql/", GraphQLView.as_view(), name="graphql"),
    path("", include("accounts.pages")),
    path("", include("conversations.pages")),
    path("", include("audio.pages")),
    path("", include("archive.pages")),
]


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """API clients always get the error shape; people get the normal page."""
    if _is_api(request):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return json_server_error(request)
    unavailable = unavailable_error(sys.exc_info()[1])  # PostgreSQL or Redis down: 503, not a 500
    if unavailable is not None:
        return HttpResponse(
            _("Happy Partner is unavailable for a moment. Please try again shortly."),
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(unavailable.retry_after)},
        )
    return defaults.server_error(request)


handler404 = not_found
handler500 = server_error
