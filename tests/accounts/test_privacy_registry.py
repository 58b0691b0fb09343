"""The personal data registry (core/privacy.py): every link to the user model belongs to one
section, and the sections are put together in order, without overwriting one another."""

import sys
from types import ModuleType

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from accounts.actions import account_delete
from accounts.models import User
from core import privacy
from notifications.models import NotificationSettings
from tests.factories import UserFactory


def user_links(models=None) -> set[str]:
    """Every foreign key and one-to-one to the user model, as "app_label.Model.field", among
    `models` (every installed model when not given).

    Auto-created models count too: the person's groups and permissions live in them. Only a
    model's own fields: a child model's inherited link is its parent's, covered once there.
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if models is None:
        models = apps.get_models(include_auto_created=True)
    return {
        f"{model._meta.label}.{field.name}"
        for model in models
        for field in model._meta.local_fields
        if field.is_relation and field.related_model._meta.concrete_model is user_model
    }


def owners() -> dict[str, list[str]]:
    """Each link the sections cover, with the sections that say they cover it."""
    covered: dict[str, list[str]] = {}
    for section in privacy.sections():
        for link in section.COVERS:
            covered.setdefault(link, []).append(section.__name__)
    return covered


def uncovered(models=None) -> list[str]:
    """The links to the user model among `models` that no section covers."""
    return sorted(user_links(models) - owners().keys())


def test_every_link_to_the_user_model_is_covered_by_a_personal_data_section():
    missing = uncovered()

    assert not missing, (
        "These links to the user model are in no personal data section. Add each to the COVERS "
        "of the privacy.py of the app that owns the model, and decide there what export() "
        "gives the person and what erase() removes:\n" + "\n".join(missing)
    )


@isolate_apps("partners")
def test_a_new_model_linked_to_the_user_without_a_section_fails_the_coverage():
    """What the coverage test above says when someone adds such a model: a model made for this
    test only, in a registry of its own, so that no other test sees it."""

    class Volunteering(models.Model):
        volunteer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        coordinator = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "partners"

        def __str__(self) -> str:
            return str(self.pk)

    installed = apps.get_models(include_auto_created=True)

    assert uncovered([*installed, Volunteering]) == [
        "partners.Volunteering.coordinator",
        "partners.Volunteering.volunteer",
    ]


def test_every_covered_link_is_a_link_to_the_user_model():
    stale = sorted(owners().keys() - user_links())

    assert not stale, (
        "These COVERS entries name no foreign key or one-to-one to the user model (renamed, "
        "moved or removed?):\n" + "\n".join(stale)
    )


def test_each_link_belongs_to_one_section():
    shared = {link: names for link, names in owners().items() if len(names) > 1}

    assert not shared, f"Covered by more than one section: {shared}"


def _section(monkeypatch, name: str, **functions) -> str:
    module = ModuleType(name)
    module.COVERS = []
    for function_name, function in functions.items():
        setattr(module, function_name, function)
    monkeypatch.setitem(sys.modules, name, module)
    return name


def test_two_sections_exporting_the_same_key_are_refused(settings, monkeypatch, db):
    copy = _section(monkeypatch, "tests_section_copy", export=lambda user: {"supports": []})
    settings.PERSONAL_DATA_SECTIONS = [*settings.PERSONAL_DATA_SECTIONS, copy]

    with pytest.raises(ImproperlyConfigured, match="tests_section_copy exports supports"):
        privacy.export(UserFactory())


def test_the_export_follows_the_order_of_the_settings(settings, monkeypatch):
    lower = _section(monkeypatch, "tests_section_lower", export=lambda user: {"lower": 1})
    upper = _section(monkeypatch, "tests_section_upper", export=lambda user: {"upper": 2})
    settings.PERSONAL_DATA_SECTIONS = [lower, upper]

    assert list(privacy.export(None)) == ["lower", "upper"]


def test_erasure_runs_the_upper_apps_sections_first(settings, monkeypatch, db):
    erased = []
    lower = _section(monkeypatch, "tests_section_lower", erase=lambda user: erased.append("lower"))
    upper = _section(monkeypatch, "tests_section_upper", erase=lambda user: erased.append("upper"))
    settings.PERSONAL_DATA_SECTIONS = [lower, upper]

    privacy.erase(None)

    assert erased == ["upper", "lower"]


def test_a_section_that_fails_leaves_the_account_as_it_was(settings, monkeypatch, db):
    person = UserFactory()
    NotificationSettings.for_user(person)

    def fail(user):
        raise RuntimeError("the disk is full")

    # Listed first, so it erases last, after every real section has erased its part.
    failing = _section(monkeypatch, "tests_section_failing", erase=fail)
    settings.PERSONAL_DATA_SECTIONS = [failing, *settings.PERSONAL_DATA_SECTIONS]

    with pytest.raises(RuntimeError):
        account_delete(user=person)

    person.refresh_from_db()
    assert not person.is_deleted
    assert EmailAddress.objects.filter(user=person).exists()
    assert NotificationSettings.objects.filter(user=person).exists()
