"""The workshop's home, dashboard, strategy, lexicon, queue, calendar and series (French paths)."""

from __future__ import annotations

from django.urls import path

from terrain.atelier.views import plan

urlpatterns = [
    path("", plan.home, name="home"),
    path("<str:code>/", plan.dashboard, name="dashboard"),
    path("<str:code>/strategie/", plan.strategy, name="strategy"),
    path("<str:code>/strategie/publics/ajouter/", plan.audience_add, name="audience_add"),
    path("<str:code>/strategie/publics/<str:audience_code>/", plan.audience_edit, name="audience_edit"),
    path("<str:code>/strategie/publics/<str:audience_code>/supprimer/", plan.audience_remove, name="audience_remove"),
    path("<str:code>/lexique/", plan.lexicon, name="lexicon"),
    path("<str:code>/lexique/ajouter/", plan.lexicon_add, name="lexicon_add"),
    path("<str:code>/lexique/<str:entry_code>/", plan.lexicon_edit, name="lexicon_edit"),
    path("<str:code>/lexique/<str:entry_code>/supprimer/", plan.lexicon_remove, name="lexicon_remove"),
    path("<str:code>/file-attente/", plan.slots, name="slots"),
    path("<str:code>/file-attente/ajouter/", plan.slot_add_view, name="slot_add"),
    path("<str:code>/file-attente/<str:slot_code>/supprimer/", plan.slot_remove, name="slot_remove"),
    path("<str:code>/calendrier/", plan.calendar, name="calendar"),
    path("<str:code>/calendrier/<str:message_code>/deplacer/", plan.calendar_move, name="calendar_move"),
    path("<str:code>/series/nouvelle/<str:message_code>/", plan.recurrence_new, name="recurrence_new"),
    path("<str:code>/series/<str:recurrence_code>/", plan.recurrence_detail, name="recurrence"),
    path("<str:code>/series/<str:recurrence_code>/arreter/", plan.recurrence_stop, name="recurrence_stop"),
]
