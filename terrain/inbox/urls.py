"""The inbox pages (French paths): a structure's list, its threads, their answers, its saved answers."""

from __future__ import annotations

from django.urls import path

from terrain.inbox import views

app_name = "inbox"
urlpatterns = [
    path("fil/<str:code>/", views.thread, name="thread"),
    path("fil/<str:code>/statut/", views.thread_status, name="thread_status"),
    path("fil/<str:code>/attribuer/", views.thread_assign, name="thread_assign"),
    path("fil/<str:code>/etiquettes/", views.thread_tags, name="thread_tags"),
    path("fil/<str:code>/note/", views.thread_note, name="thread_note"),
    path("fil/<str:code>/repondre/", views.thread_reply, name="thread_reply"),
    path("reponse/<str:code>/approuver/", views.reply_approve, name="reply_approve"),
    path("reponse/<str:code>/refuser/", views.reply_refuse, name="reply_refuse"),
    path("reponse/<str:code>/renvoyer/", views.reply_retry, name="reply_retry"),
    path("reponses-types/<str:code>/", views.saved_reply_edit, name="saved_reply_edit"),
    path("reponses-types/<str:code>/supprimer/", views.saved_reply_delete, name="saved_reply_delete"),
    path("<str:code>/", views.inbox, name="list"),
    path("<str:code>/fermer/", views.inbox_close, name="close"),
    path("<str:code>/reponses-types/", views.saved_replies, name="saved_replies"),
]
