from django.urls import path

from partners import open_data_views

app_name = "open_data"

urlpatterns = [
    path("oppna-data/", open_data_views.open_data, name="index"),
]
