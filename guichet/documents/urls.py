"""The documents' pages: the person's under their secret link, the association's under a
mandate, the agents' under /agent/documents/ (namespace `documents`)."""

from django.urls import include, path

from .views import agent, member, person

app_name = "documents"

# Object ids are named <int:request_id>, <int:document_id>, <int:service_id>,
# <int:requirement_id>: one test opens every agent's page with an agent of another préfecture.
# Each audience's pages are listed below their address's common start, which is written once.
person_pages = [
    path("", person.documents, name="person"),
    path("<int:document_id>/envoyer/", person.send, name="person_send"),
    path("<int:document_id>/sans-objet/", person.not_concerned, name="person_not_concerned"),
    path("<int:document_id>/fichier/", person.file, name="person_file"),
    path("le-jour-meme/", person.bring, name="person_bring"),
]
member_pages = [
    path("", member.documents, name="member"),
    path("<int:document_id>/envoyer/", member.send, name="member_send"),
    path("<int:document_id>/fichier/", member.file, name="member_file"),
]
agent_pages = [
    path("", agent.queue, name="queue"),
    path("demande/<int:request_id>/", agent.review, name="review"),
    path(
        "demande/<int:request_id>/<int:document_id>/courrier/",
        agent.received_by_post,
        name="agent_post",
    ),
    path("demande/<int:request_id>/<int:document_id>/fichier/", agent.file, name="agent_file"),
    path("listes/", agent.lists, name="lists"),
    path("listes/<int:service_id>/", agent.service_list, name="service_list"),
    path("listes/document/<int:requirement_id>/", agent.requirement, name="requirement"),
]

urlpatterns = [
    path("demande/<str:token>/documents/", include(person_pages)),
    path("association/documents/<int:request_id>/", include(member_pages)),
    path("agent/documents/", include(agent_pages)),
]
