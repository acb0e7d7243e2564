"""A logged-in session's user is read at every request with their agent profile and its
préfecture, in one query (guichet.backoffice.backends): the agents' pages are opened all day.
The read is as fresh as before, and Django's rules for who is logged in stand."""

import pytest
from django.contrib import auth
from django.test import RequestFactory

from guichet.backoffice.access import agent_of
from guichet.backoffice.enums import Role
from guichet.backoffice.models import Agent
from tests import factories

pytestmark = pytest.mark.django_db


def request_of(client):
    """A request of this client's session, the session already read."""
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session.keys()
    return request


def session_user(client):
    """The user a request of this client's session is given (AuthenticationMiddleware's read)."""
    return auth.get_user(request_of(client))


def test_the_sessions_user_comes_with_their_agent_and_prefecture_in_one_query(
    client, django_assert_num_queries
):
    prefecture = factories.make_prefecture("94")
    factories.log_in_agent(client, factories.make_agent(prefecture, username="agent.durand"))
    request = request_of(client)

    with django_assert_num_queries(1):
        user = auth.get_user(request)
        agent = agent_of(user)
        assert (user.get_username(), agent.role) == ("agent.durand", Role.AGENT)
        assert agent.prefecture.department_code == "94"


def test_a_user_without_an_agent_profile_has_none_without_another_query(
    client, django_user_model, django_assert_num_queries
):
    client.force_login(django_user_model.objects.create_user("membre"))
    request = request_of(client)

    with django_assert_num_queries(1):
        user = auth.get_user(request)
        assert user.get_username() == "membre"
        assert agent_of(user) is None


def test_each_request_reads_the_profile_anew_and_an_inactive_account_is_logged_out(client):
    user = factories.make_agent(factories.make_prefecture("94"), username="agent.durand")
    factories.log_in_agent(client, user)
    Agent.objects.filter(user=user).update(role=Role.MANAGER)

    assert agent_of(session_user(client)).role == Role.MANAGER

    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not session_user(client).is_authenticated
