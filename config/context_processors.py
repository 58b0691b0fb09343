from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info

# The page parameter of every paginated list: the one query parameter a canonical link keeps.
PAGE_PARAMETER = "sida"
MAX_PAGE_DIGITS = 6
# Open Graph names a language with its country.
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def canonical_path(request: HttpRequest) -> str:
    """The page's path without its query, except the list's page number past the first: a
    filtered or sorted list is the same page as the plain one, page 3 is not."""
    path = escape_uri_path(request.path)
    page = request.GET.get(PAGE_PARAMETER, "")
    # A number no list reaches (or too long for int()) is left out, like any other parameter.
    if page.isascii() and page.isdigit() and len(page) <= MAX_PAGE_DIGITS and int(page) > 1:
        path += "?" + urlencode({PAGE_PARAMETER: int(page)})
    return path


def language_links(request) -> dict:
    """Links to the current page in each language: relative ones, with the query, for the
    language switcher; absolute canonical ones for the hreflang alternates, with Swedish as
    x-default. A page whose address works once (the way back from e-legitimation) names
    another for the switcher in `request.language_switch_path`."""
    current = get_language()
    path = getattr(request, "language_switch_path", None) or request.get_full_path()
    canonical = canonical_path(request)
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = translate_url(path, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "absolute_url": settings.SITE_URL
                + (url if canonical == path else translate_url(canonical, code)),
                "is_current": code == current,
            }
        )
    default = next(link for link in links if link["code"] == settings.LANGUAGE_CODE)
    return {"language_links": links, "x_default_url": default["absolute_url"]}


def site(request) -> dict:
    """The site's name and address, and this page's canonical address and Open Graph locale."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "site_name": settings.SITE_NAME,
        "city_name": settings.CITY_NAME,
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + canonical_path(request),
        "og_locale": OG_LOCALES.get(language, OG_LOCALES[settings.LANGUAGE_CODE]),
        "og_alternate_locales": [locale for code, locale in OG_LOCALES.items() if code != language],
    }
