"""The agenda of a structure's public site, under ``/s/<slug>/agenda/``."""

from django.urls import path

from terrain.mobilisation import views

app_name = "agenda"
urlpatterns = [
    path("", views.agenda, name="list"),
    path("<str:code>/", views.event, name="event"),
    path("<str:code>/agenda.ics", views.event_ics, name="ics"),
    path("<str:code>/image", views.event_image, name="image"),
    path("<str:code>/je-viens/", views.event_attend, name="attend"),
]
