"""Everything that happens because time passes, in one idempotent run.

The worker runs `run_due_work` every few seconds. Each step reads what is due from the database
and records what it did, so after an outage the next run catches up, and a run replayed after a
crash finds its messages already queued and sends nothing twice.
"""

import logging

from django.utils import timezone

from guichet.booking import losses, offers, reminders, services
from guichet.catalogue.capacity import roll_horizon
from guichet.catalogue.models import Prefecture
from guichet.documents.retention import erase_due_files
from guichet.notifications.services import send_due_messages
from guichet.privacy.retention import run_daily_retention
from guichet.protection.counters import purge_expired
from guichet.registry.invitations import invite_due_renewals
from guichet.transparency.snapshots import take_due_snapshots

logger = logging.getLogger(__name__)


def run_due_work(now=None) -> dict:
    now = now or timezone.now()
    done = {
        "expired_requests": services.expire_unverified_requests(now),
        "expired_offers": offers.expire_offers(now),
        "reconfirmations_asked": reminders.ask_reconfirmations(now),
        "released": reminders.release_unconfirmed(now),
        "paused_reminded": reminders.remind_paused(now),
        "paused_closed": reminders.close_paused(now),
        # Before allocation, so the days entering the horizon and invited renewals are dated
        # in the same run.
        "capacity_opened": roll_horizon(now),
        "renewal_invitations": invite_due_renewals(now),
        "dated": sum(
            batch.dated
            for prefecture in Prefecture.objects.all()
            if services.allocation_due(prefecture, now)
            for batch in services.allocate_prefecture(prefecture, now=now)
        ),
        "offers": offers.make_offers(now),
        "reminders": reminders.send_reminders(now),
        "lost_units": losses.record_lost_units(now),
        "messages_sent": send_due_messages(now),
        # Rate-limit buckets and replay marks past their time (the database store only).
        "expired_counters": purge_expired(now),
        # Once a day each: the public figures' snapshot (after the day's losses are recorded),
        # then personal data past its retention period erased (guichet.privacy).
        "snapshots": take_due_snapshots(now),
        "erased": run_daily_retention(now),
        # Documents sent before a visit: their files go a set time after the appointment.
        "documents_erased": erase_due_files(now),
    }
    if any(done.values()):
        logger.info("due work: %s", done)
    return done
