from django.urls import path

from terrain.core.placeholders import placeholder

app_name = "structures"
urlpatterns = [
    path("", placeholder, name="list"),
]
