"""The documents' pages: the person's under their secret link, the association's under a
mandate, the agents' under /agent/documents/ (namespace `documents`)."""

from django.urls import path

from .views import agent, member, person

app_name = "documents"

# Object ids are named <int:request_id>, <int:document_id>, <int:service_id>,
# <int:requirement_id>: one test opens every agent's page with an agent of another préfecture.
urlpatterns = [
    path("demande/<str:token>/documents/", person.documents, name="person"),
    path(
        "demande/<str:token>/documents/<int:document_id>/envoyer/",
        person.send,
        name="person_send",
    ),
    path(
        "demande/<str:token>/documents/<int:document_id>/sans-objet/",
        person.not_concerned,
        name="person_not_concerned",
    ),
    path(
        "demande/<str:token>/documents/<int:document_id>/fichier/",
        person.file,
        name="person_file",
    ),
    path("demande/<str:token>/documents/le-jour-meme/", person.bring, name="person_bring"),
    path("association/documents/<int:request_id>/", member.documents, name="member"),
    path(
        "association/documents/<int:request_id>/<int:document_id>/envoyer/",
        member.send,
        name="member_send",
    ),
    path(
        "association/documents/<int:request_id>/<int:document_id>/fichier/",
        member.file,
        name="member_file",
    ),
    path("agent/documents/", agent.queue, name="queue"),
    path("agent/documents/demande/<int:request_id>/", agent.review, name="review"),
    path(
        "agent/documents/demande/<int:request_id>/<int:document_id>/courrier/",
        agent.received_by_post,
        name="agent_post",
    ),
    path(
        "agent/documents/demande/<int:request_id>/<int:document_id>/fichier/",
        agent.file,
        name="agent_file",
    ),
    path("agent/documents/listes/", agent.lists, name="lists"),
    path("agent/documents/listes/<int:service_id>/", agent.service_list, name="service_list"),
    path(
        "agent/documents/listes/document/<int:requirement_id>/",
        agent.requirement,
        name="requirement",
    ),
]
