"""Process probes for load balancers and orchestrators; plain Django views, no auth, no throttle."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from happy_partner.readiness import readiness_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness_report()
    failing = sorted(name for name, state in checks.items() if state != "ok")
    body = {"status": "ok" if not failing else "unavailable", "checks": checks, "failing": failing}
    return JsonResponse(body, status=200 if not failing else 503)
