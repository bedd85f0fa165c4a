import pytest
from django.urls import reverse

from stakeholders.models import Stakeholder
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_admin_explains_that_a_stakeholder_with_practices_cannot_be_deleted(
    superuser, asticude, published_practice
):
    client = logged_in(superuser)
    url = reverse("admin:stakeholders_stakeholder_delete", args=[asticude.pk])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "would require deleting the following protected related objects" in content
    assert published_practice.title in content

    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Stakeholder.objects.filter(pk=asticude.pk).exists()


def test_the_admin_bulk_delete_keeps_a_stakeholder_with_practices(
    superuser, asticude, acpp, published_practice
):
    client = logged_in(superuser)
    response = client.post(
        reverse("admin:stakeholders_stakeholder_changelist"),
        {"action": "delete_selected", "_selected_action": [asticude.pk, acpp.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()
    assert Stakeholder.objects.filter(pk__in=[asticude.pk, acpp.pk]).count() == 2


def test_a_stakeholder_without_practices_can_be_deleted_in_the_admin(superuser, acpp):
    client = logged_in(superuser)
    url = reverse("admin:stakeholders_stakeholder_delete", args=[acpp.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=acpp.pk).exists()
