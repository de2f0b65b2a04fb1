from django.urls import path

from terrain.elections import views_public

app_name = "elections_public"
urlpatterns = [
    path("", views_public.election_list, name="list"),
    path("<str:code>/", views_public.election_detail, name="detail"),
]
