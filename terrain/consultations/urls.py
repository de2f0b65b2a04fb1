from django.urls import path

from terrain.consultations import views

app_name = "consultations"
urlpatterns = [
    path("structure/<str:code>/", views.manage, name="manage"),
    path("<str:code>/", views.edit, name="edit"),
    path("<str:code>/etat/", views.transition, name="transition"),
    path("<str:code>/questions/ajouter/", views.question_add, name="question_add"),
    path("<str:code>/questions/<str:question>/", views.question_edit, name="question_edit"),
    path("<str:code>/questions/<str:question>/supprimer/", views.question_delete, name="question_delete"),
    path("<str:code>/questions/<str:question>/deplacer/", views.question_move, name="question_move"),
    path("<str:code>/resultats/", views.results, name="results"),
    path("<str:code>/resultats.csv", views.export, name="export"),
    path("<str:code>/partager/", views.share, name="share"),
    path("<str:code>/invitations/", views.invite, name="invite"),
]
