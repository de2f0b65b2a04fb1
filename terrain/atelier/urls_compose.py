"""The composer and the workflow (included in the ``atelier`` namespace)."""

from __future__ import annotations

from django.urls import path

from terrain.atelier.views import compose, workflow

urlpatterns = [
    path("<str:code>/messages/", compose.message_list, name="message_list"),
    path("<str:code>/messages/nouveau/", compose.message_new, name="message_new"),
    # The calendar's links name the structure too: they lead to the same page.
    path("<str:code>/messages/<str:message_code>/", workflow.message_in_structure, name="message_in_structure"),
    path("messages/<str:code>/", workflow.message_detail, name="message_detail"),
    path("messages/<str:code>/modifier/", compose.message_edit, name="message_edit"),
    path("messages/<str:code>/soumettre/", workflow.message_submit, name="message_submit"),
    path("messages/<str:code>/valider/", workflow.message_approve, name="message_approve"),
    path(
        "messages/<str:code>/demander-des-modifications/",
        workflow.message_request_changes,
        name="message_request_changes",
    ),
    path("messages/<str:code>/commenter/", workflow.message_comment, name="message_comment"),
    path("messages/<str:code>/programmer/", workflow.message_schedule, name="message_schedule"),
    path("messages/<str:code>/retirer-du-calendrier/", workflow.message_unschedule, name="message_unschedule"),
    path("messages/<str:code>/reessayer/", workflow.message_retry, name="message_retry"),
    path("messages/<str:code>/supprimer/", workflow.message_delete, name="message_delete"),
    path("messages/images/<str:code>/", compose.message_image, name="message_image"),
    path("partager/<str:code>/", compose.share_outside, name="share_outside"),
    path("partager-photo/<str:code>/", compose.share_photo, name="share_photo"),
]
