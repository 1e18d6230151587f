from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KusConfig(AppConfig):
    name = "kus"
    verbose_name = _("KUS")
