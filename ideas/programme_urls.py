from django.urls import path

from ideas import programme_views as views

# The namespace stays "programme": the pages are the programme's, served by ideas.
app_name = "programme"

urlpatterns = [
    path("programmet/", views.overview, name="overview"),
    path(
        "programmet/<slug:viljeinriktning>/",
        views.viljeinriktning_detail,
        name="viljeinriktning",
    ),
    path(
        "programmet/<slug:viljeinriktning>/<slug:fokusomrade>/",
        views.fokusomrade_detail,
        name="fokusomrade",
    ),
]
