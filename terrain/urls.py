from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from terrain.atelier.media import media_public
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
    path("relais/", include("terrain.relays.urls")),
    path("statistiques/", include("terrain.insights.urls")),
    path("lettre/", include("terrain.newsletter.urls")),
    path("modeles/", include("terrain.modeles.urls")),
    path("bibliotheque/", include("terrain.library.urls")),
    path("l/", include("terrain.insights.urls_links")),
    path("bac-a-sable/", include("terrain.demo.urls")),
    path("recherche/", include("terrain.search.urls")),
    # Public sites of the structures, read without signing in, and their officials' page.
    path("s/<str:slug>/petitions/", include("terrain.petitions.urls_public")),
    path("s/", include("terrain.public.urls")),
    path("site-public/", include("terrain.public.urls_manage")),
    path("petitions/", include("terrain.petitions.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Signed, expiring addresses of images being published (Instagram downloads them).
    path("media-publie/<str:token>/", media_public, name="atelier_media"),
    path("administration/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    from terrain.core.bench_views import chrome, floor

    urlpatterns += [path("bench/floor/", floor), path("bench/chrome/", chrome)]
