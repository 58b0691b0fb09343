from django.urls import path

from ideas import feeds

app_name = "feeds"

urlpatterns = [
    path("initiativ/atom/", feeds.InitiativeFeed(), name="initiatives"),
    path("initiativ/atom/fokusomrade/<slug:slug>/", feeds.FokusomradeFeed(), name="fokusomrade"),
    path("initiativ/atom/stadsdel/<slug:slug>/", feeds.StadsdelFeed(), name="stadsdel"),
    path("initiativ/<int:pk>/atom/", feeds.TimelineFeed(), name="initiative"),
    path("svar/atom/", feeds.ResponseFeed(), name="responses"),
]
