from django.urls import path

from programme import views

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
