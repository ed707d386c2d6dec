from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world!\n", content_type="text/plain")


urlpatterns = [path("", hello, name="hello")]
