from django.urls import path

from terrain.consultations import views_public

app_name = "consultations_public"
urlpatterns = [
    path("", views_public.index, name="index"),
    path("<str:code>/", views_public.answer, name="answer"),
    path("<str:code>/i/<str:token>/", views_public.invited, name="invited"),
]
