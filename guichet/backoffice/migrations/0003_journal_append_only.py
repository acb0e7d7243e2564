# Written by hand: a PostgreSQL trigger, no change of the model.

from django.db import migrations

from guichet.append_only import refuse_update_and_delete


class Migration(migrations.Migration):
    """On PostgreSQL the journal refuses any UPDATE or DELETE (guichet.append_only)."""

    dependencies = [
        ('backoffice', '0002_journal_actions'),
    ]

    operations = [
        refuse_update_and_delete("backoffice_journalentry"),
    ]
