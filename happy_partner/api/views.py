"""The base class of every API view."""

from rest_framework.generics import GenericAPIView

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ApiView(GenericAPIView):
    """Parses the body of every write before the handler runs, so a malformed or wrongly typed
    body is refused (400/415) even by endpoints that read nothing from it — a broken client must
    not have a DELETE or a revoke go through while its body is garbage."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in WRITE_METHODS:
            request.data  # noqa: B018  (parsing is the point)
