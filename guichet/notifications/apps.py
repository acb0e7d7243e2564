from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "guichet.notifications"
    verbose_name = "Messages aux usagers"
