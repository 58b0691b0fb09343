"""The statistics pages and their CSV downloads (config/statistics_views.py)."""

from django.urls import path

from config import statistics_views as views

app_name = "statistics"

urlpatterns = [
    path("statistik/", views.page, name="page"),
    path("statistik/<slug:name>.csv", views.download, name="csv"),
    path("handlaggning/statistik/", views.staff_page, name="staff"),
    path("handlaggning/statistik/<slug:name>.csv", views.staff_download, name="staff_csv"),
]
