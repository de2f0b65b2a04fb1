from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from terrain.atelier.media import media_public
from terrain.mobilisation.views import agenda_all
from terrain.public.views import sitemap

admin.site.site_header = "Terrain"
admin.site.site_title = "Terrain"

urlpatterns = [
    path("", include("terrain.feed.urls")),
    path("", include("terrain.core.urls")),
    path("compte/", include("terrain.accounts.urls")),
    path("structures/", include("terrain.structures.urls")),
    path("cooperatives/", include("terrain.cooperatives.urls")),
    path("actualites/", include("terrain.news.urls")),
    path("faq/", include("terrain.faq.urls")),
    path("forum/", include("terrain.forum.urls")),
    path("tracts/", include("terrain.tracts.urls")),
    path("atelier/", include("terrain.atelier.urls")),
    path("atelier/", include("terrain.inbox.urls_watch")),  # keyword watches, beside the accounts they search with
    path("boite/", include("terrain.inbox.urls")),  # the shared inbox
    path("boite/", include("terrain.inbox.urls_crisis")),  # its figures and crisis rooms
    path("relais/", include("terrain.relays.urls")),
    path("statistiques/", include("terrain.insights.urls")),
    path("lettre/", include("terrain.newsletter.urls")),
    path("modeles/", include("terrain.modeles.urls")),
    path("bibliotheque/", include("terrain.library.urls")),
    path("l/", include("terrain.insights.urls_links")),
    path("bac-a-sable/", include("terrain.demo.urls")),
    path("recherche/", include("terrain.search.urls")),
    # The tools of the public face: the officials' pages.
    path("adhesions/", include("terrain.adhesions.urls")),
    path("consultations/", include("terrain.consultations.urls")),
    path("elections/", include("terrain.elections.urls")),
    path("mobilisation/", include("terrain.mobilisation.urls")),
    path("petitions/", include("terrain.petitions.urls")),
    path("site-public/", include("terrain.public.urls_manage")),
    # Public sites of the structures, read without signing in: each tool's pages, then the site's own.
    path("s/<str:slug>/agenda/", include("terrain.mobilisation.urls_public")),
    path("s/<str:slug>/consultations/", include("terrain.consultations.urls_public")),
    path("s/<str:slug>/elections/", include("terrain.elections.urls_public")),
    path("s/<str:slug>/petitions/", include("terrain.petitions.urls_public")),
    path("s/", include("terrain.public.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Join requests: the public forms (/s/<slug>/adherer/, /adherer/).
    path("", include("terrain.adhesions.urls_public")),
    # The instance's mobilisation agenda, and "Trouvez le syndicat le plus proche" (and its embed).
    path("agenda/", agenda_all, name="mobilisation_map"),
    path("trouver/", include("terrain.places.urls")),
    # Signed, expiring addresses of images being published (Instagram downloads them).
    path("media-publie/<str:token>/", media_public, name="atelier_media"),
    path("administration/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    from terrain.core.bench_views import chrome, floor

    urlpatterns += [path("bench/floor/", floor), path("bench/chrome/", chrome)]
