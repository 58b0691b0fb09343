from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notiser/", views.notification_list, name="list"),
    path("notiser/antal/", views.badge, name="badge"),
    path("notiser/markera-lasta/", views.read_all, name="read_all"),
    path("notiser/installningar/", views.notification_settings, name="settings"),
    path("notiser/avregistrera/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notiser/<int:pk>/", views.open_notification, name="open"),
    path("notiser/<int:pk>/las/", views.read, name="read"),
]
