"""TEMPORARY: placeholder views so every URL name in base.html resolves while the apps are built. Delete once unused."""

from django.http import HttpResponse


def placeholder(request, *args, **kwargs):
    return HttpResponse("placeholder")
