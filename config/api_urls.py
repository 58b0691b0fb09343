"""The open API's addresses, outside i18n_patterns: /api/v1/ in every language.

Each address django-ninja makes, and the documentation page, goes through config.api.open_read
(limits per client, ETag and 304, CORS for reading)."""

from django.urls import URLPattern, include, path, re_path

from config.api import api, docs, no_such_address, open_read

ninja_patterns, _app_name, namespace = api.urls


def _opened(pattern: URLPattern) -> URLPattern:
    return URLPattern(
        pattern.pattern, open_read(pattern.callback), pattern.default_args, pattern.name
    )


api_patterns = [
    *(_opened(pattern) for pattern in ninja_patterns),
    path("docs", docs, name="docs"),
    # Last: any other address under the API answers 404 in JSON (a slug with a slash, say).
    re_path(r"^(?P<path>.*)$", open_read(no_such_address)),
]

urlpatterns = [
    path("api/v1/", include((api_patterns, namespace))),
]
