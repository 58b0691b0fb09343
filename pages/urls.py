from django.urls import path

from pages import views
from pages.models import TrustPage

app_name = "pages"

# /om/, /personuppgifter/, /tillganglighet/ and /kontakt/, named about, privacy, accessibility
# and contact.
urlpatterns = [
    path(f"{slug.value}/", views.trust_page, {"slug": slug.value}, name=slug.name.lower())
    for slug in TrustPage.Slug
]
