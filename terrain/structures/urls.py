from django.urls import path

from terrain.structures import views

app_name = "structures"
urlpatterns = [
    path("", views.structure_list, name="list"),
    path("<str:code>/", views.structure_detail, name="detail"),
    path("<str:code>/modifier/", views.structure_edit, name="edit"),
    path("<str:code>/nouvelle/", views.structure_create_child_view, name="create_child"),
    path("<str:code>/membres/", views.structure_members, name="members"),
    path("<str:code>/membres/ajouter/", views.structure_member_add_view, name="member_add"),
    path("<str:code>/membres/<str:user_code>/retirer/", views.structure_member_remove_view, name="member_remove"),
    path("<str:code>/responsables/ajouter/", views.official_add_view, name="official_add"),
    path(
        "<str:code>/responsables/<str:user_code>/<str:role>/retirer/",
        views.official_remove_view,
        name="official_remove",
    ),
]
