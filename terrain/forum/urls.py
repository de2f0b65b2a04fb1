from __future__ import annotations

from django.urls import path

from terrain.forum import views, views_moderation

app_name = "forum"
urlpatterns = [
    path("c/<str:code>/", views.home, name="home"),
    path("c/<str:code>/nouveau-sujet/", views.topic_create, name="topic_create"),
    path("c/<str:code>/tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("c/<str:code>/categories/", views_moderation.categories, name="categories"),
    path("categories/<str:code>/", views.category_detail, name="category_detail"),
    path("categories/<str:code>/modifier/", views_moderation.category_edit, name="category_edit"),
    path("categories/<str:code>/deplacer/", views_moderation.category_shift, name="category_shift"),
    path("categories/<str:code>/supprimer/", views_moderation.category_delete, name="category_delete"),
    path("categories/<str:code>/suivre/", views_moderation.category_subscribe, name="category_subscribe"),
    path("sujets/<str:code>/", views.topic_detail, name="topic_detail"),
    path("sujets/<str:code>/repondre/", views.reply_create, name="reply_create"),
    path("sujets/<str:code>/modifier/", views.topic_edit, name="topic_edit"),
    path("sujets/<str:code>/supprimer/", views.topic_delete, name="topic_delete"),
    path("sujets/<str:code>/suivre/", views.topic_subscribe, name="topic_subscribe"),
    path("sujets/<str:code>/moderer/", views_moderation.topic_moderate, name="topic_moderate"),
    path("sujets/<str:code>/deplacer/", views_moderation.topic_move, name="topic_move"),
    path("sujets/<str:code>/faq/", views_moderation.topic_faq, name="topic_faq"),
    path("reponses/<str:code>/", views.reply_link, name="reply_link"),
    path("reponses/<str:code>/modifier/", views.reply_edit, name="reply_edit"),
    path("reponses/<str:code>/supprimer/", views.reply_delete, name="reply_delete"),
    path("reponses/<str:code>/solution/", views_moderation.reply_answer, name="reply_answer"),
]
