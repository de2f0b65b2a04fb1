from django.urls import path

from terrain.public import views

app_name = "public"
urlpatterns = [
    path("<str:slug>/", views.home, name="home"),
    path("<str:slug>/actualites/", views.posts, name="posts"),
    path("<str:slug>/actualites/<str:code>/", views.post, name="post"),
    path("<str:slug>/actualites/<str:code>/image", views.post_image, name="post_image"),
    path("<str:slug>/logo", views.logo, name="logo"),
    path("<str:slug>/documents/", views.documents, name="documents"),
    path("<str:slug>/documents/<str:code>/", views.document_download, name="document"),
    path("<str:slug>/flux.atom", views.feed, name="feed"),
    path("<str:slug>/theme.css", views.theme, name="theme"),
]
