from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """SQL queries of one GET of the page in steady state: one request first warms the caches
    (the header's unread count), as for anyone browsing the site; the second is counted."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def page_reads(client, url: str, tables: list[str]) -> bool:
    """Whether one GET of the page (answered 200) sends a query naming any of `tables`, each
    given as it appears in the SQL (e.g. 'FROM "programme_stadsdel"')."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return any(table in query["sql"] for query in queries for table in tables)
