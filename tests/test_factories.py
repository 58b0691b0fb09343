"""Every model of the project's apps has a factory, and each one makes a valid row."""

import factory
import pytest
from django.apps import apps

from tests import factories

APPS = ["accounts", "programme", "pages", "ideas", "moderation", "notifications", "partners"]
FACTORIES = [
    value
    for value in vars(factories).values()
    if isinstance(value, type)
    and issubclass(value, factory.django.DjangoModelFactory)
    and value._meta.model is not None
]


def test_every_model_has_a_factory():
    models = {model for name in APPS for model in apps.get_app_config(name).get_models()}
    covered = {made._meta.model for made in FACTORIES}

    assert sorted(model._meta.label for model in models - covered) == []


@pytest.mark.django_db
@pytest.mark.parametrize("made", FACTORIES, ids=lambda made: made.__name__)
def test_each_factory_makes_a_valid_row(made):
    row = made()

    row.full_clean(exclude=["password"])
    assert type(row)._default_manager.filter(pk=row.pk).exists()
