"""Server time of one list of the open API under django-ninja, against a plain Django view.

    env -u DATABASE_URL DEBUG=1 .venv/bin/python -m bench.api_frameworks --requests 500

Both answer the same page: the 20 newest public initiatives, read by the same query
(config.api's filters, order and cursor) and holding the same fields. The ninja one is the API's
own operation (parameters parsed and checked by ninja, the answer validated and written by
Pydantic); the plain one builds the dicts by hand and returns a JsonResponse. Both go through
the site's middleware with Django's test client, in this process, against an in-memory SQLite
database filled by factories, so the difference is the framework's cost per request, not the
network's or the database's. Neither goes through config.api.open_read (limit, ETag, CORS),
which costs both the same. Prints the median and 95th percentile in milliseconds.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

from config.api import Order, _page, api  # noqa: E402
from config.urls import urlpatterns as site_urlpatterns  # noqa: E402
from ideas.listing import ListQuery, current_choices  # noqa: E402
from ideas.models import Initiative  # noqa: E402


def plain_initiatives(request):
    listed = ListQuery.from_request(request.GET).apply(
        Initiative.objects.public().for_cards(), current_choices()
    )
    page = _page(
        request,
        listed,
        order=Order("published_at", descending=True),
        cursor=request.GET.get("cursor", ""),
        size=20,
        list_name="initiatives",
    )
    organisation = None
    results = []
    for item in page["results"]:
        organisation = item.organisation if item.organisation_id else None
        results.append(
            {
                "id": item.pk,
                "url": request.build_absolute_uri(item.get_absolute_url()),
                "title": item.title,
                "summary": item.summary,
                "status": item.status,
                "viljeinriktning": item.fokusomrade.viljeinriktning.slug,
                "fokusomrade": item.fokusomrade.slug,
                "stadsdel": item.stadsdel.slug if item.stadsdel_id else None,
                "author_name": item.author.public_name,
                "organisation": {
                    "slug": organisation.slug,
                    "name": organisation.name,
                    "url": request.build_absolute_uri(organisation.get_absolute_url()),
                }
                if organisation and organisation.is_public
                else None,
                "seeking_partners": item.seeking_partners,
                "published_at": item.published_at,
                "support_ends_at": item.support_ends_at,
                "support_threshold": item.support_threshold,
                "support_count": item.support_count,
                "comment_count": item.comment_count,
            }
        )
    return JsonResponse({"next": page["next"], "results": results})


ninja_patterns, _app, namespace = api.urls
urlpatterns = [
    *site_urlpatterns,  # the pages the answers link to
    path("api/v1/", include((ninja_patterns, namespace))),
    path("plain/initiatives", plain_initiatives),
]


def timings(client: Client, url: str, requests: int) -> list[float]:
    for _ in range(20):  # warm-up
        assert client.get(url).status_code == 200
    spent = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        spent.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--initiatives", type=int, default=200)
    arguments = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from tests.factories import InitiativeFactory, OrganisationFactory, StadsdelFactory

    organisation, stadsdel = OrganisationFactory(), StadsdelFactory()
    InitiativeFactory.create_batch(
        arguments.initiatives, organisation=organisation, stadsdel=stadsdel
    )
    client = Client()
    with override_settings(ROOT_URLCONF="bench.api_frameworks"):
        ninja = client.get("/api/v1/initiatives").json()
        plain = client.get("/plain/initiatives").json()
        assert [item["id"] for item in ninja["results"]] == [i["id"] for i in plain["results"]]
        assert set(ninja["results"][0]) == set(plain["results"][0])
        print(f"{arguments.requests} requests, 20 initiatives a page, in-process (ms):")
        for name, url in (("django-ninja", "/api/v1/initiatives"), ("plain", "/plain/initiatives")):
            spent = timings(client, url, arguments.requests)
            p95 = statistics.quantiles(spent, n=20)[-1]
            print(f"  {name:13} median {statistics.median(spent):6.2f}   p95 {p95:6.2f}")


if __name__ == "__main__":
    main()
