import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import logged_in, make_practice

pytestmark = pytest.mark.django_db

MODELS = list(admin.site._registry)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_superuser_sees_every_admin_changelist_and_add_page(model, superuser):
    from django.core.management import call_command

    call_command("load_demo")
    client = logged_in(superuser)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code in (200, 403)


def test_superuser_can_open_the_admin_export_of_practices(superuser):
    client = logged_in(superuser)
    response = client.get(reverse("admin:practices_practice_export"))
    assert response.status_code == 200


def test_the_practice_admin_shows_its_translations(superuser, asticude):
    practice = make_practice(asticude, "Cafés", language="fr")
    practice.translations.create(language="en", title="Cafes in English", summary="S")
    url = f"/admin/practices/practice/{practice.pk}/change/"
    page = logged_in(superuser).get(url).content.decode()
    assert 'name="translations-0-title"' in page and "Cafes in English" in page


def test_a_translation_into_the_practices_own_language_is_invalid_as_in_the_admin(asticude):
    from practices.models import PracticeTranslation

    practice = make_practice(asticude, "Cafés", language="fr")
    translation = PracticeTranslation(practice=practice, language="fr", title="T", summary="S")
    with pytest.raises(ValidationError) as refused:
        translation.full_clean()
    assert "language" in refused.value.message_dict
    translation.language = "en"
    translation.full_clean()
