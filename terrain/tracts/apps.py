from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TractsConfig(AppConfig):
    name = "terrain.tracts"
    label = "tracts"
    verbose_name = _("Tracts")

    def ready(self) -> None:
        from terrain.library.services import on_file_removed
        from terrain.tracts.services import tracts_file_removed

        # A tract whose file leaves the library leaves the search with it.
        on_file_removed(tracts_file_removed)
