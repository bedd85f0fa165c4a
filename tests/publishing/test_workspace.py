"""The partner workspace: every view, every persona, and the refusals change nothing."""

import pytest
from django.core import mail
from django.test import Client

from practices.models import Practice, StakeholderRole, Status
from tests.conftest import make_practice, make_stakeholder
from tests.workspace_helpers import client_for, empty_formsets, practice_data

pytestmark = pytest.mark.django_db


def url(name: str, practice=None) -> str:
    if practice is None:
        return "/en/workspace/practices/new/"
    return f"/en/workspace/practices/{practice.slug}/{name}/"


def snapshot(practice) -> tuple:
    stored = Practice.objects.get(pk=practice.pk)
    return (
        stored.title,
        stored.status,
        stored.updated_at,
        stored.history.count(),
        list(stored.themes.values_list("pk", flat=True)),
    )


def new_practice_data(organisation, theme=None, **changes) -> dict:
    data = {
        "title": "Welcome desk for newcomers",
        "organisation": organisation.pk,
        "language": "en",
        "summary": "A desk where newcomers find their way.",
        "country": "MA",
        **empty_formsets("roles", "indicators", "links"),
    }
    if theme is not None:
        data["themes"] = [theme.pk]
    return {**data, **changes}


# Home


def test_anonymous_visitor_is_sent_to_sign_in_from_the_workspace(client):
    response = client.get("/en/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/workspace/")


def test_partner_sees_their_organisations_work_by_status_and_what_waits_for_them(
    partner, asticude, acpp
):
    make_practice(asticude, "Our published one")
    waiting = make_practice(asticude, "Our returned one", status=Status.CHANGES_REQUESTED)
    waiting.review_comment = "Please add the dates."
    waiting.save()
    make_practice(acpp, "Their draft", status=Status.DRAFT)
    response = client_for(partner).get("/en/workspace/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Our published one" in content
    assert "Please add the dates." in content
    assert "Their draft" not in content
    assert "/en/workspace/practices/new/" in content
    assert content.count("<h1") == 1


def test_workspace_lists_with_a_bounded_number_of_queries(
    partner, asticude, django_assert_max_num_queries
):
    for number in range(10):
        make_practice(asticude, f"Practice {number}", status=Status.DRAFT)
    client = client_for(partner)
    with django_assert_max_num_queries(15):
        assert client.get("/en/workspace/").status_code == 200


def test_user_without_organisation_sees_the_workspace_without_add_buttons(django_user_model):
    user = django_user_model.objects.create_user("loner", password="x-long-password-1")
    response = client_for(user).get("/en/workspace/")
    assert response.status_code == 200
    assert "/en/workspace/practices/new/" not in response.content.decode()
    assert client_for(user).get(url("new")).status_code == 403


# Create


def test_anonymous_visitor_is_sent_to_sign_in_from_the_new_practice_form(client):
    assert client.get(url("new")).status_code == 302
    response = Client().post(url("new"), new_practice_data(make_stakeholder("X")))
    assert response.status_code == 302
    assert not Practice.objects.exists()


def test_partner_adds_a_draft_practice_with_taxonomies_and_a_stakeholder_role(
    partner, asticude, acpp, theme
):
    data = new_practice_data(
        asticude,
        theme,
        **{
            "roles-TOTAL_FORMS": "1",
            "roles-0-stakeholder": acpp.pk,
            "roles-0-role": "partner",
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-label": "People welcomed",
            "indicators-0-target": "100",
            "indicators-0-position": "0",
        },
    )
    response = client_for(partner).post(url("new"), data)
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("edit", practice)
    assert practice.status == Status.DRAFT
    assert practice.slug == "welcome-desk-for-newcomers"
    assert practice.created_by == partner
    assert practice.updated_by == partner
    assert list(practice.themes.all()) == [theme]
    assert StakeholderRole.objects.get(practice=practice).stakeholder == acpp
    assert practice.indicators.get().label == "People welcomed"
    version = practice.history.get()
    assert version.history_user == partner
    assert version.history_change_reason == "Created"
    assert [t.theme for t in version.themes.all()] == [theme]


def test_a_second_practice_with_the_same_title_gets_its_own_slug(partner, asticude):
    make_practice(asticude, "Welcome desk for newcomers")
    client_for(partner).post(url("new"), new_practice_data(asticude))
    assert Practice.objects.filter(slug="welcome-desk-for-newcomers-2").exists()


def test_the_new_practice_form_offers_taxonomies_as_checkboxes(partner, theme):
    response = client_for(partner).get(url("new"))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'type="checkbox" name="themes" value="{theme.pk}"' in content
    assert "<legend>Themes" in content or "<legend>Themes:" in content


def test_partner_cannot_create_for_an_organisation_they_do_not_belong_to(partner, acpp):
    response = client_for(partner).post(url("new"), new_practice_data(acpp))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Practice.objects.exists()


def test_a_refused_form_keeps_what_was_typed_and_shows_the_error_by_the_field(partner, asticude):
    data = new_practice_data(
        asticude, title="My typed title", start_date="2024-05-01", end_date="2024-01-01"
    )
    response = client_for(partner).post(url("new"), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert 'value="My typed title"' in content
    assert "The end of the project cannot be before its start." in content
    assert not Practice.objects.exists()


def test_a_refused_form_is_in_the_users_language(partner, asticude):
    data = new_practice_data(asticude, title="")
    response = client_for(partner).post("/fr/workspace/practices/new/", data)
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()


def test_partner_saves_and_submits_a_new_practice_and_coordinators_are_told(
    partner, asticude, coordinator
):
    data = new_practice_data(asticude, submit="")
    response = client_for(partner).post(url("new"), data)
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert practice.status == Status.SUBMITTED
    assert [message.to for message in mail.outbox] == [[coordinator.email]]


# Edit


def test_partner_edits_their_organisations_draft(partner, draft_practice):
    client = client_for(partner)
    assert client.get(url("edit", draft_practice)).status_code == 200
    data = practice_data(draft_practice, partner, title="A better title")
    response = client.post(url("edit", draft_practice), data)
    draft_practice.refresh_from_db()
    assert response.status_code == 302
    assert draft_practice.title == "A better title"
    assert draft_practice.slug == "draft-practice-of-asticude"
    assert draft_practice.updated_by == partner
    assert draft_practice.history.first().history_change_reason == "Edited"


def test_partner_removes_a_stakeholder_role_with_the_formset(partner, draft_practice, acpp):
    StakeholderRole.objects.create(practice=draft_practice, stakeholder=acpp, role="partner")
    data = practice_data(draft_practice, partner, **{"roles-0-DELETE": "on"})
    response = client_for(partner).post(url("edit", draft_practice), data)
    assert response.status_code == 302
    assert not draft_practice.roles.exists()


def test_outsider_gets_404_for_another_organisations_draft_and_nothing_changes(
    outsider, partner, draft_practice
):
    before = snapshot(draft_practice)
    client = client_for(outsider)
    data = practice_data(draft_practice, partner, title="Hijacked")
    for name in ("edit", "preview", "history"):
        assert client.get(url(name, draft_practice)).status_code == 404
    assert client.post(url("edit", draft_practice), data).status_code == 404
    assert client.post(url("submit", draft_practice)).status_code == 404
    assert client.post(url("archive", draft_practice)).status_code == 404
    assert snapshot(draft_practice) == before
    assert mail.outbox == []


def test_outsider_may_not_edit_another_organisations_published_practice(
    outsider, partner, published_practice
):
    before = snapshot(published_practice)
    client = client_for(outsider)
    data = practice_data(published_practice, partner, title="Hijacked")
    assert client.get(url("edit", published_practice)).status_code == 403
    assert client.post(url("edit", published_practice), data).status_code == 403
    assert client.post(url("archive", published_practice)).status_code == 403
    assert client.get(url("history", published_practice)).status_code == 403
    assert snapshot(published_practice) == before


def test_anonymous_visitor_changes_nothing(client, partner, draft_practice):
    before = snapshot(draft_practice)
    data = practice_data(draft_practice, partner, title="Hijacked")
    for name in ("edit", "preview", "history"):
        response = client.get(url(name, draft_practice))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert client.post(url("edit", draft_practice), data).status_code == 302
    assert client.post(url("submit", draft_practice)).status_code == 302
    assert client.post(url("archive", draft_practice)).status_code == 302
    assert snapshot(draft_practice) == before


def test_coordinator_may_edit_any_organisations_draft(coordinator, partner, draft_practice):
    data = practice_data(draft_practice, coordinator, title="Edited by the coordinator")
    response = client_for(coordinator).post(url("edit", draft_practice), data)
    draft_practice.refresh_from_db()
    assert response.status_code == 302
    assert draft_practice.title == "Edited by the coordinator"


def test_a_stale_form_is_refused_and_keeps_what_was_typed(partner, draft_practice):
    opened_by_first = practice_data(draft_practice, partner, title="First edit")
    opened_by_second = practice_data(draft_practice, partner, title="Second edit")
    client = client_for(partner)
    assert client.post(url("edit", draft_practice), opened_by_first).status_code == 302
    response = client.post(url("edit", draft_practice), opened_by_second)
    content = response.content.decode()
    draft_practice.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else saved this record since you opened the form" in content
    assert 'value="Second edit"' in content
    assert "<h1>Edit “First edit”</h1>" in content
    assert draft_practice.title == "First edit"
    # Saving the refused form again is still refused: the token stays the stale one.
    assert client.post(url("edit", draft_practice), opened_by_second).status_code == 409


def test_editing_a_published_practice_keeps_it_published_and_tells_coordinators(
    partner, coordinator, published_practice
):
    data = practice_data(published_practice, partner, summary="A newer summary.")
    response = client_for(partner).post(url("edit", published_practice), data)
    published_practice.refresh_from_db()
    assert response.status_code == 302
    assert published_practice.status == Status.PUBLISHED
    assert published_practice.summary == "A newer summary."
    assert published_practice.history.first().history_user == partner
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert "Published practice of ASTICUDE" in mail.outbox[0].subject


def test_partner_may_not_edit_an_archived_practice(partner, asticude):
    archived = make_practice(asticude, "Old one", status=Status.ARCHIVED)
    before = snapshot(archived)
    data = practice_data(archived, partner, title="Revived")
    client = client_for(partner)
    assert client.get(url("edit", archived)).status_code == 403
    assert client.post(url("edit", archived), data).status_code == 403
    assert snapshot(archived) == before


# Preview


def test_partner_previews_their_draft_with_the_public_template(partner, draft_practice):
    response = client_for(partner).get(url("preview", draft_practice))
    content = response.content.decode()
    assert response.status_code == 200
    assert "practices/practice_detail.html" in [t.name for t in response.templates]
    assert "preview-banner" in content
    assert content.count("<h1") == 1
    assert Client().get(draft_practice.get_absolute_url()).status_code == 404


def test_saving_with_preview_leads_to_the_preview(partner, draft_practice):
    data = practice_data(draft_practice, partner, preview="")
    response = client_for(partner).post(url("edit", draft_practice), data)
    assert response["Location"] == url("preview", draft_practice)


# Submit and archive


def test_partner_submits_a_draft_and_coordinators_get_an_email(
    partner, coordinator, draft_practice
):
    response = client_for(partner).post(url("submit", draft_practice))
    draft_practice.refresh_from_db()
    assert response.status_code == 302
    assert draft_practice.status == Status.SUBMITTED
    assert mail.outbox[0].to == [coordinator.email]


def test_partner_resubmits_after_changes_were_requested(partner, asticude):
    practice = make_practice(asticude, "Returned", status=Status.CHANGES_REQUESTED)
    client_for(partner).post(url("submit", practice))
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.PUBLISHED])
def test_submitting_what_cannot_be_submitted_is_refused_and_changes_nothing(
    partner, asticude, status
):
    practice = make_practice(asticude, "Not submittable", status=status)
    before = snapshot(practice)
    response = client_for(partner).post(url("submit", practice), follow=True)
    assert "cannot become" in response.content.decode()
    assert snapshot(practice) == before
    assert mail.outbox == []


def test_submit_and_archive_accept_only_post(partner, draft_practice):
    client = client_for(partner)
    assert client.get(url("submit", draft_practice)).status_code == 405
    assert client.get(url("archive", draft_practice)).status_code == 405


def test_partner_archives_rather_than_deletes(partner, draft_practice):
    response = client_for(partner).post(url("archive", draft_practice))
    draft_practice.refresh_from_db()
    assert response.status_code == 302
    assert draft_practice.status == Status.ARCHIVED
    assert Practice.objects.filter(pk=draft_practice.pk).exists()


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(partner, draft_practice):
    before = snapshot(draft_practice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    data = practice_data(draft_practice, partner, title="Forged")
    assert client.post(url("edit", draft_practice), data).status_code == 403
    assert client.post(url("submit", draft_practice)).status_code == 403
    assert client.post(url("archive", draft_practice)).status_code == 403
    assert snapshot(draft_practice) == before


def test_unknown_kind_of_record_is_a_404(partner):
    assert client_for(partner).get("/en/workspace/things/new/").status_code == 404


def test_a_save_between_validation_and_saving_is_caught_under_the_row_lock(partner, draft_practice):
    from practices.forms import PracticeForm

    form = PracticeForm(
        practice_data(draft_practice, partner, title="Mine"), instance=draft_practice, user=partner
    )
    assert form.is_valid()
    Practice.objects.get(pk=draft_practice.pk).save()  # someone else, meanwhile
    assert form.lock_if_current() is False
    assert form.is_stale


# Every page of the workspace and review, for every persona, on ASTICUDE's draft.

PAGES = [
    "/en/workspace/",
    "/en/workspace/practices/new/",
    "/en/workspace/events/new/",
    "/en/workspace/practices/draft-practice-of-asticude/edit/",
    "/en/workspace/practices/draft-practice-of-asticude/preview/",
    "/en/workspace/practices/draft-practice-of-asticude/history/",
    "/en/review/",
    "/en/review/practices/draft-practice-of-asticude/",
    "/en/accounts/invite/",
]
EXPECTED = {
    "partner": [200, 200, 200, 200, 200, 200, 403, 403, 403],
    "outsider": [200, 200, 200, 404, 404, 404, 403, 403, 403],
    "coordinator": [200, 200, 200, 200, 200, 200, 200, 200, 200],
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_every_page_answers_each_persona_as_expected(request, persona, draft_practice):
    client = client_for(request.getfixturevalue(persona))
    statuses = [client.get(path).status_code for path in PAGES]
    assert statuses == EXPECTED[persona]


def test_every_page_sends_anonymous_visitors_to_sign_in(client, draft_practice):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/en/accounts/login/?next="), path


@pytest.mark.parametrize("persona", ["partner", "coordinator"])
def test_every_page_has_exactly_one_heading(request, persona, draft_practice):
    client = client_for(request.getfixturevalue(persona))
    for path in PAGES:
        response = client.get(path)
        if response.status_code == 200:
            assert response.content.decode().count("<h1") == 1, path
