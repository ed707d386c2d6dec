from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers: the process is up and answering. No database query,
    so a database blip does not take every web process out of rotation."""
    return HttpResponse("ok\n", content_type="text/plain")
