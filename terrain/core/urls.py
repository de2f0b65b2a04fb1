from django.urls import path

from terrain.core import views

app_name = "core"
urlpatterns = [
    path("sante/", views.health, name="health"),
    path("aide/", views.help_index, name="help"),
    path("aide/<slug:topic>/", views.help_topic, name="help_topic"),
]
