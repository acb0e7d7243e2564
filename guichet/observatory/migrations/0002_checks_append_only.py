# Written by hand: a PostgreSQL trigger, no change of the model.

from django.db import migrations

from guichet.append_only import refuse_update_and_delete


class Migration(migrations.Migration):
    """On PostgreSQL the chained checks refuse any UPDATE or DELETE (guichet.append_only)."""

    dependencies = [
        ('observatory', '0001_initial'),
    ]

    operations = [
        refuse_update_and_delete("observatory_check"),
    ]
