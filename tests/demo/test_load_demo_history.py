import pytest
from django.core.management import call_command

from events.models import Event
from practices.models import Practice, PracticeTranslation
from stakeholders.models import Stakeholder
from tests.demo.test_load_demo import copy_of_the_data, first_sample

pytestmark = pytest.mark.django_db


def history_counts() -> dict[str, int]:
    models = [Practice, Stakeholder, Event, PracticeTranslation]
    return {model.__name__: model.history.count() for model in models}


def test_loading_the_demo_again_records_no_version_of_an_unchanged_record(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = history_counts()
    call_command("load_demo")
    assert history_counts() == first
    assert first["Practice"] >= 16 and first["Event"] >= 8


def test_an_edited_data_file_still_records_one_version_of_the_changed_practice(
    tmp_path, monkeypatch
):
    call_command("load_demo")
    cafes = Practice.objects.get(slug="sample-neighbourhood-intercultural-cafes")
    before = history_counts()
    versions = cafes.history.count()

    def edit(content: dict) -> None:
        first_sample(content)["city"] = "Tetouan"

    copy_of_the_data(tmp_path, monkeypatch, "sample_practices.json", edit)
    call_command("load_demo")
    assert cafes.history.count() == versions + 1
    assert cafes.history.first().city == "Tetouan"
    assert history_counts() == before | {"Practice": before["Practice"] + 1}


def test_a_changed_theme_in_a_data_file_records_a_version_of_the_practice(tmp_path, monkeypatch):
    call_command("load_demo")
    cafes = Practice.objects.get(slug="sample-neighbourhood-intercultural-cafes")
    versions = cafes.history.count()

    def edit(content: dict) -> None:
        first_sample(content)["themes"] = ["culture-and-arts"]

    copy_of_the_data(tmp_path, monkeypatch, "sample_practices.json", edit)
    call_command("load_demo")
    assert cafes.history.count() > versions
