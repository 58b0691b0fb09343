from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("moderering/", views.queue, name="queue"),
    path("moderering/beslut/", views.decide, name="decide"),
    path(
        "moderering/beslut/initiativ/<int:pk>/",
        views.decide_initiative,
        name="decide_initiative",
    ),
    path(
        "moderering/beslut/organisation/<int:pk>/",
        views.decide_organisation,
        name="decide_organisation",
    ),
    path(
        "moderering/organisation/<int:pk>/verifiera/",
        views.verify_organisation,
        name="verify_organisation",
    ),
    path("moderering/andringar/<int:pk>/granskad/", views.edit_reviewed, name="edit_reviewed"),
    path("moderering/logg/", views.log, name="log"),
    path("moderering/avstangningar/", views.blocks, name="blocks"),
    path("moderering/avstangningar/<int:pk>/hav/", views.unblock, name="unblock"),
    path("moderering/stang-av/<int:user_pk>/", views.block, name="block"),
    path("moderering/forsenade-svar/", views.overdue, name="overdue"),
    path("handlaggning/", views.desk, name="desk"),
    path("initiativ/<int:pk>/anmal/", views.flag_initiative, name="flag_initiative"),
    path("kommentarer/<int:pk>/anmal/", views.flag_comment, name="flag_comment"),
    path("initiativ/<int:pk>/ansvar/", views.assign, name="assign"),
    path("initiativ/<int:pk>/svara/", views.respond, name="respond"),
]
