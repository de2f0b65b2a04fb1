from django.urls import path

from terrain.places import views

app_name = "places"
urlpatterns = [
    path("", views.locator, name="locator"),
    path("integrer/", views.embed, name="embed"),
    path("suggestions/", views.suggestions, name="suggestions"),
]
