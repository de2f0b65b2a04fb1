from django.urls import path

from terrain.faq import views

app_name = "faq"

urlpatterns = [
    path("<str:code>/", views.faq_home, name="home"),
    path("<str:code>/questions/nouvelle/", views.entry_create, name="entry_create"),
    path("<str:code>/questions/<str:entry>/", views.entry_detail, name="entry"),
    path("<str:code>/questions/<str:entry>/masquer/", views.entry_hide, name="entry_hide"),
    path("<str:code>/themes/", views.themes, name="themes"),
    path("<str:code>/proposer/", views.proposal_create, name="proposal_create"),
    path("<str:code>/propositions/", views.proposals, name="proposals"),
    path("questions/<str:code>/ouvrir/", views.entry_open, name="entry_open"),
    path("questions/<str:code>/modifier/", views.entry_edit, name="entry_edit"),
    path("questions/<str:code>/supprimer/", views.entry_delete, name="entry_delete"),
    path("questions/<str:code>/deplacer/", views.entry_move, name="entry_move"),
    path("questions/<str:code>/partager/", views.entry_offer, name="entry_offer"),
    path("themes/<str:code>/renommer/", views.theme_edit, name="theme_edit"),
    path("themes/<str:code>/deplacer/", views.theme_move, name="theme_move"),
    path("themes/<str:code>/supprimer/", views.theme_delete, name="theme_delete"),
    path("propositions/<str:code>/", views.proposal_answer, name="proposal_answer"),
    path("propositions/<str:code>/modifier/", views.proposal_edit, name="proposal_edit"),
    path("propositions/<str:code>/refuser/", views.proposal_decline, name="proposal_decline"),
]
