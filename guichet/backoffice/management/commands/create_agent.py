import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guichet.backoffice.auth import create_agent, provisioning_uri
from guichet.backoffice.enums import Role
from guichet.catalogue.models import Prefecture


class Command(BaseCommand):
    help = (
        "Create a back-office agent of one préfecture (administrators: all) and print the TOTP "
        "provisioning URI to load into their authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--prefecture", help="department code, e.g. 94 (not for an administrator)"
        )
        parser.add_argument("--role", choices=Role.values, default=Role.AGENT)
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="read the password from this environment variable (never from the command line)",
        )

    def handle(self, *args, username, prefecture, role, password_from_env, **options):
        if prefecture is None and role != Role.ADMINISTRATOR:
            raise CommandError("--prefecture is required unless --role administrator")
        found = None
        if prefecture is not None:
            found = Prefecture.objects.filter(department_code=prefecture).first()
            if found is None:
                raise CommandError(f"no préfecture with department code {prefecture}")
        password = None
        if password_from_env:
            password = os.environ.get(password_from_env)
            if not password:
                raise CommandError(f"the environment variable {password_from_env} is empty")

        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"the user {username} already exists")
        agent, factor = create_agent(username, prefecture=found, role=role, password=password)
        self.stdout.write(f"Agent created: {agent}")
        if password is None:
            self.stdout.write("No password set: set one with `guichet changepassword`.")
        self.stdout.write("TOTP provisioning URI (show it as a QR code, or type the secret):")
        self.stdout.write(provisioning_uri(factor))
