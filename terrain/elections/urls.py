from django.urls import path

from terrain.elections import views

app_name = "elections"
urlpatterns = [
    path("s/<str:code>/", views.election_list, name="list"),
    path("e/<str:code>/", views.election_detail, name="detail"),
    path("e/<str:code>/modifier/", views.election_edit, name="edit"),
    path("e/<str:code>/etat/", views.election_status, name="status"),
    path("e/<str:code>/etapes/recalculer/", views.election_replan, name="replan"),
    path("etapes/<str:code>/", views.step_edit, name="step"),
    path("e/<str:code>/colleges/", views.college_add, name="college_add"),
    path("colleges/<str:code>/", views.college_edit, name="college"),
    path("colleges/<str:code>/retirer/", views.college_remove, name="college_remove"),
    path("e/<str:code>/tracts/", views.election_tracts, name="tracts"),
]
