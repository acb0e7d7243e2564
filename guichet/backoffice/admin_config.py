"""django.contrib.admin with Guichet's site (guichet.backoffice.admin_site) as `admin.site`.

Its own module: INSTALLED_APPS imports it before models may be imported.
"""

from django.contrib.admin.apps import AdminConfig


class GuichetAdminConfig(AdminConfig):
    default = False
    default_site = "guichet.backoffice.admin_site.GuichetAdminSite"
