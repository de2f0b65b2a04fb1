from django.urls import path

from terrain.demo import views

app_name = "demo"
urlpatterns = [
    path("<str:structure_code>/", views.sandbox_page, name="sandbox"),
]
