from django.urls import path

from terrain.mobilisation import views_manage

app_name = "mobilisation"
urlpatterns = [
    path("<str:code>/", views_manage.event_list, name="list"),
    path("<str:code>/nouveau/", views_manage.event_create, name="create"),
    path("evenements/<str:code>/", views_manage.event_edit, name="edit"),
    path("evenements/<str:code>/publication/", views_manage.event_publication, name="publication"),
    path("evenements/<str:code>/annulation/", views_manage.event_cancellation, name="cancellation"),
]
