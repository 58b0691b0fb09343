from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from config.health import healthz
from ideas.programme_views import home

# Every sign-in goes through allauth, with its limits on wrong passwords and the second factor:
# the admin's own password form would sign staff in past both.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("", include("ideas.programme_urls")),
    path("", include("accounts.urls")),
    path("", include("ideas.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("partners.urls")),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# A database that does not answer is a 503 (try again shortly), not the 500 page.
handler500 = "config.errors.server_error"
