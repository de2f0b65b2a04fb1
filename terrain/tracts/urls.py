from django.urls import path

from terrain.tracts import views

app_name = "tracts"

urlpatterns = [
    path("<str:code>/", views.tract_list, name="home"),
    path("<str:code>/nouveau/", views.tract_new, name="create"),
    path("<str:code>/proposes/", views.offer_list, name="offers"),
    path("<str:code>/<str:tract>/", views.tract_detail, name="detail"),
    path("<str:code>/<str:tract>/modifier/", views.tract_edit, name="edit"),
    path("<str:code>/<str:tract>/supprimer/", views.tract_remove, name="delete"),
    path("<str:code>/<str:tract>/telecharger/", views.tract_download, name="download"),
    path("<str:code>/<str:tract>/apercu/", views.tract_preview, name="preview"),
    path("<str:code>/<str:tract>/proposer/", views.tract_publish_view, name="publish"),
    path("<str:code>/<str:tract>/decision/", views.offer_decide, name="decide"),
    path("<str:code>/<str:tract>/reutilise/", views.tract_reuse, name="reuse"),
]
