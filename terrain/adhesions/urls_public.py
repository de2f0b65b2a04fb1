from django.urls import path

from terrain.adhesions import views_public

app_name = "adhesions_public"
urlpatterns = [
    path("s/<str:slug>/adherer/", views_public.join, name="join"),
    path("s/<str:slug>/adherer/merci/", views_public.thanks, name="thanks"),
    path("adherer/", views_public.join_any, name="join_any"),
]
