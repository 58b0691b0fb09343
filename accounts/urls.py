from django.urls import path

from accounts import elegitimation, views

app_name = "accounts"

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisations"),
    path("organisationer/ny/", views.organisation_create, name="organisation_create"),
    path("organisationer/inbjudan/<str:token>/", views.invitation, name="invitation"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisationer/<slug:slug>/redigera/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisationer/<slug:slug>/medlemmar/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisationer/<slug:slug>/medlemmar/<int:pk>/",
        views.membership_change,
        name="membership_change",
    ),
    path("konto/profil/", views.profile, name="profile"),
    path("konto/mina-uppgifter/", views.my_data, name="my_data"),
    path("konto/mina-uppgifter/hamta/", views.my_data_download, name="my_data_download"),
    path("konto/radera/", views.account_delete, name="account_delete"),
    path("konto/e-legitimation/ta-bort/", views.identity_forget, name="identity_forget"),
    # Before allauth's own (config/urls.py includes allauth after this), at allauth's address.
    path(
        "konto/oidc/<str:provider_id>/login/callback/",
        elegitimation.callback,
        name="elegitimation_callback",
    ),
]
