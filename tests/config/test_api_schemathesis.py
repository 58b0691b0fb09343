"""schemathesis, a third-party API fuzzer, against the open API in this process: for every
operation of the OpenAPI document it sends generated requests, valid and invalid, through the
Django app (WSGI), and checks that none is a server error and every answer matches the document
(status code, content type, headers and body).

The document is built at collection from config.api, the code that serves /api/v1/openapi.json
(schemathesis's fixture loader does not run under pytest 9), and a test below checks that the
served document is the same."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from config.api import api
from partners.models import PartnerOffer
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    OfficialResponseFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/"


def _document() -> dict:
    document = api.get_openapi_schema(path_prefix=PREFIX)
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


# A cursor is an opaque signed text: one the API did not make is any string the document allows,
# and the API refuses it with 400, as documented. The other checks keep their defaults.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "304", "400", "404", "429"],
            }
        }
    }
)
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture
def connection_kept_open():
    """Keep the test's database connection across the app's requests, as Django's test client
    does: a finished request would otherwise close it, and the test database with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def public_data(settings, connection_kept_open):
    """Some public data behind the API, and no limit on requests: the fuzzer sends hundreds."""
    settings.API_RATE_LIMIT = (1_000_000, 60)
    ProgrammeFactory(valid_from=timezone.localdate())
    organisation = OrganisationFactory(slug="forening")
    initiative = InitiativeFactory(pk=1, organisation=organisation)
    CommentFactory(initiative=initiative)
    OfficialResponseFactory(initiative=initiative)
    PartnerOfferFactory(
        initiative=initiative,
        organisation=organisation,
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
    )


def test_the_fuzzed_document_is_the_served_one(client):
    assert client.get(f"{PREFIX}openapi.json").json() == _document()


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_its_document_says(case, public_data):
    case.call_and_validate()
