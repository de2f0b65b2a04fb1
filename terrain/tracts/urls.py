from django.urls import path

from terrain.tracts import views

app_name = "tracts"

# A tract's pages carry one code: the tract's in its own cooperative, the offer's in a
# cooperative it was offered to (``access.get_tract_for``).
urlpatterns = [
    path("c/<str:code>/", views.tract_list, name="home"),
    path("c/<str:code>/nouveau/", views.tract_new, name="create"),
    path("c/<str:code>/proposes/", views.offer_list, name="offers"),
    path("t/<str:code>/", views.tract_detail, name="detail"),
    path("t/<str:code>/modifier/", views.tract_edit, name="edit"),
    path("t/<str:code>/supprimer/", views.tract_remove, name="delete"),
    path("t/<str:code>/telecharger/", views.tract_download, name="download"),
    path("t/<str:code>/apercu/", views.tract_preview, name="preview"),
    path("t/<str:code>/proposer/", views.tract_publish_view, name="publish"),
    path("t/<str:code>/decision/", views.offer_decide, name="decide"),
    path("t/<str:code>/reutilise/", views.tract_reuse, name="reuse"),
]
