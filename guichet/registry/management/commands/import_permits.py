"""`guichet import_permits FILE --prefecture 94 [--user NAME]`: import a registry CSV."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guichet.catalogue.models import Prefecture
from guichet.registry.imports import import_permits


class Command(BaseCommand):
    help = "Import a CSV of permits into a préfecture's registry, then invite due renewals."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--prefecture", required=True, help="department code, e.g. 94")
        parser.add_argument(
            "--user",
            help="the account the import is recorded under (default: the first superuser)",
        )

    def handle(self, *args, file, prefecture, user, **options):
        found = Prefecture.objects.filter(department_code=prefecture).first()
        if found is None:
            raise CommandError(f"no préfecture {prefecture}")
        users = get_user_model().objects
        account = (
            users.filter(username=user).first()
            if user
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if account is None:
            raise CommandError("no such user: give --user, or create a superuser")
        with open(file, "rb") as content:
            batch = import_permits(found, content, account)
        self.stdout.write(
            f"{batch.file_name}: {batch.created} created, {batch.updated} updated, "
            f"{batch.unchanged} unchanged, {batch.rejected} rejected, {batch.invited} invited"
        )
        for refused in batch.errors:
            self.stdout.write(f"  line {refused['line']}: {refused['errors']}")
