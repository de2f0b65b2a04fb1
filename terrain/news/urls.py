from __future__ import annotations

from django.urls import path

from terrain.news import views

app_name = "news"
urlpatterns = [
    path("publier/", views.post_write, name="post_write"),
    path("c/<str:code>/publier/", views.post_create, name="post_create"),
    path("c/<str:code>/page/", views.stream_page, name="stream_page"),
    path("c/<str:code>/mentions/", views.mention_suggest, name="mention_suggest"),
    path("images/<str:code>/", views.image, name="image"),
    path("commentaires/<str:code>/modifier/", views.comment_edit, name="comment_edit"),
    path("commentaires/<str:code>/supprimer/", views.comment_delete, name="comment_delete"),
    path("<str:code>/", views.post_detail, name="post_detail"),
    path("<str:code>/modifier/", views.post_edit, name="post_edit"),
    path("<str:code>/supprimer/", views.post_delete, name="post_delete"),
    path("<str:code>/epingler/", views.post_pin, name="post_pin"),
    path("<str:code>/reagir/", views.react, name="react"),
    path("<str:code>/commenter/", views.comment_create, name="comment_create"),
]
