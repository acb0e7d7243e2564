"""An agent registers a request for a person (counter, phone, post): the web's rules and queue,
then what the agent may see of a request the person already had, and the journal's line."""

import dataclasses

from guichet.booking.models import Request
from guichet.booking.services import register_request
from guichet.booking.validation import ValidIntake

from . import journal
from .access import prefectures_of


@dataclasses.dataclass(frozen=True)
class OnBehalf:
    """The request to show the agent: new, or the person's own in one of the agent's
    préfectures; None when it is another préfecture's, which the agent is only told exists."""

    request: Request | None
    created: bool


def register_for_person(user, intake: ValidIntake, channel: str) -> OnBehalf:
    registered, created = register_request(
        service=intake.service, applicant=intake.applicant, sites=intake.sites, channel=channel
    )
    if not created and not prefectures_of(user).filter(pk=registered.prefecture_id).exists():
        journal.log_registered_elsewhere(user, intake.service.prefecture, channel=channel)
        return OnBehalf(request=None, created=False)
    journal.log_registration(user, registered, created=created, channel=channel)
    return OnBehalf(request=registered, created=created)
