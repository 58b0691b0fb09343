from django.urls import path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("initiativ/", views.initiative_list, name="list"),
    path("initiativ/nytt/", views.initiative_create, name="create"),
    path("initiativ/liknande/", views.similar, name="similar"),
    path("initiativ/<int:pk>/", views.initiative_redirect, name="redirect"),
    path("initiativ/<int:pk>-<str:slug>/", views.initiative_detail, name="detail"),
    path("initiativ/<int:pk>/redigera/", views.initiative_edit, name="edit"),
    path("initiativ/<int:pk>/skicka-in/", views.initiative_submit, name="submit"),
    path("initiativ/<int:pk>/dra-tillbaka/", views.initiative_withdraw, name="withdraw"),
    path("initiativ/<int:pk>/stod/", views.support, name="support"),
    path("initiativ/<int:pk>/stod/efter-verifiering/", views.support_resume, name="support_resume"),
    path("initiativ/<int:pk>/folj/", views.follow, name="follow"),
    path("initiativ/<int:pk>/kommentarer/", views.comment_add, name="comment_add"),
    path("initiativ/<int:pk>/live/<str:part>/", views.initiative_live_part, name="live_part"),
    path("kommentarer/<int:pk>/redigera/", views.comment_edit, name="comment_edit"),
    path("kommentarer/<int:pk>/ta-bort/", views.comment_remove, name="comment_remove"),
]
