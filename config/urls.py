from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from config import mypages, underlag
from config.health import healthz
from config.sitemaps import SITEMAPS, robots_txt
from ideas.programme_views import home

# Every sign-in goes through allauth, with its limits on wrong passwords and the second factor:
# the admin's own password form would sign staff in past both.
admin.site.login = secure_admin_login(admin.site.login)
# The staff screens carry the site's name, in the staff member's language.
admin.site.site_header = format_lazy("{} – {}", settings.SITE_NAME, _("staff screens"))
admin.site.site_title = admin.site.site_header
admin.site.index_title = _("The municipality's data")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The open API: one address for every language (its texts follow Accept-Language).
    path("", include("config.api_urls")),
]

mypages_urls = [
    path("", mypages.initiatives, name="initiatives"),
    path("stod/", mypages.supports, name="supports"),
    path("foljer/", mypages.follows, name="follows"),
    path("kommentarer/", mypages.comments, name="comments"),
    path("samarbeten/", mypages.partnerships, name="partnerships"),
]

underlag_urls = [
    path("<int:pk>/", underlag.page, name="page"),
    path("<int:pk>.pdf", underlag.pdf, name="pdf"),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("", include("ideas.programme_urls")),
    path("", include("accounts.urls")),
    path("", include("ideas.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("partners.urls")),
    path("", include("pages.urls")),
    path("", include("ideas.feed_urls")),
    path("", include("partners.open_data_urls")),
    path("", include("config.statistics_urls")),
    path("mina-sidor/", include((mypages_urls, "mypages"))),
    path("handlaggning/underlag/", include((underlag_urls, "underlag"))),
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
