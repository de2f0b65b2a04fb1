from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Terrain"
admin.site.site_title = "Terrain"

urlpatterns = [
    path("", include("terrain.feed.urls")),
    path("", include("terrain.core.urls")),
    path("compte/", include("terrain.accounts.urls")),
    path("structures/", include("terrain.structures.urls")),
    path("cooperatives/", include("terrain.cooperatives.urls")),
    path("actualites/", include("terrain.news.urls")),
    path("atelier/", include("terrain.atelier.urls")),
    path("relais/", include("terrain.relays.urls")),
    path("statistiques/", include("terrain.insights.urls")),
    path("lettre/", include("terrain.newsletter.urls")),
    path("l/", include("terrain.insights.urls_links")),
    path("administration/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    from terrain.core.bench_views import floor

    urlpatterns.append(path("bench/floor/", floor))
