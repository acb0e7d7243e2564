from django.core.management.base import BaseCommand, CommandError

from guichet.booking.services import allocate_prefecture
from guichet.catalogue.models import Prefecture


class Command(BaseCommand):
    help = "Date waiting requests now: one allocation batch per service of each préfecture."

    def add_arguments(self, parser):
        parser.add_argument("--prefecture", help="department code, e.g. 94; all when absent")
        parser.add_argument("--seed", type=int, help="the lottery's seed, to replay a batch")

    def handle(self, *args, prefecture=None, seed=None, **options):
        prefectures = Prefecture.objects.all()
        if prefecture:
            prefectures = prefectures.filter(department_code=prefecture)
            if not prefectures.exists():
                raise CommandError(f"unknown préfecture: {prefecture}")
        for item in prefectures:
            for batch in allocate_prefecture(item, seed=seed):
                self.stdout.write(
                    f"{item.department_code} {batch.service.name}: {batch.dated} dated of "
                    f"{batch.waiting} waiting, {batch.free_units} free units, seed {batch.seed}"
                )
