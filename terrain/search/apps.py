from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "terrain.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's kinds of search documents (``search.registry``), in its ``search_documents`` module.
        autodiscover_modules("search_documents")
