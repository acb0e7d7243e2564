import pytest

from guichet.catalogue.enums import ServiceKind
from tests import factories


@pytest.fixture
def prefecture():
    """A préfecture with two sites and a renewal service, the registry's usual ground."""
    prefecture = factories.make_prefecture()
    factories.make_site(prefecture)
    factories.make_site(prefecture, name="Sous-préfecture de Nogent")
    factories.make_service(prefecture, ServiceKind.RENEWAL)
    return prefecture


@pytest.fixture
def manager(prefecture):
    return factories.make_agent(prefecture, role="manager")
