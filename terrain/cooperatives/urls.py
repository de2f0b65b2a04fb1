from django.urls import path

from terrain.cooperatives import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("nouvelle/", views.cooperative_create, name="create"),
    path("<str:code>/", views.cooperative_detail, name="detail"),
    path("<str:code>/membres/", views.cooperative_members, name="members"),
    path("<str:code>/image/", views.cooperative_image, name="image"),
    path("<str:code>/rejoindre/", views.cooperative_join_view, name="join"),
    path("<str:code>/demande/", views.join_request_view, name="request"),
    path("<str:code>/demande/retirer/", views.join_request_withdraw_view, name="request_withdraw"),
    path("<str:code>/demandes/<str:request_code>/", views.join_request_decide_view, name="request_decide"),
    path("<str:code>/quitter/", views.cooperative_leave_view, name="leave"),
    path("<str:code>/inviter/", views.cooperative_invite_view, name="invite"),
    path("<str:code>/membres/<str:user_code>/role/", views.member_role_view, name="member_role"),
    path("<str:code>/membres/<str:user_code>/retirer/", views.member_remove_view, name="member_remove"),
    path("<str:code>/parametres/", views.cooperative_edit, name="edit"),
    path("<str:code>/outils/", views.cooperative_tools_view, name="tools"),
    path("<str:code>/archiver/", views.cooperative_archive_view, name="archive"),
    path("<str:code>/desarchiver/", views.cooperative_unarchive_view, name="unarchive"),
]
