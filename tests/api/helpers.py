"""The knowledge base of the API's tests: tests/public_data.py plus translations, one
approved (French, of the cafés) and one waiting for review (Spanish, of the festival)."""

from practices.models import Practice, Status, Theme
from search import fulltext
from tests import public_data


def build(asticude, acpp) -> dict:
    data = public_data.build(asticude, acpp)
    data["cafes"].translations.create(
        language="fr",
        title="Cafés interculturels à Nador",
        summary="Des rencontres autour d'un thé.",
        status=Status.PUBLISHED,
    )
    data["festival"].translations.create(
        language="es",
        title="Festival de cine",
        summary="Borrador secreto.",
        status=Status.SUBMITTED,
    )
    Theme.objects.filter(slug="dialogue").update(name_fr="Dialogue interculturel")
    fulltext.write_vectors(Practice.objects.all())
    return data


def all_slugs(client, url: str, **headers) -> list[str]:
    """The slugs of every page of an API list, following its cursors."""
    slugs = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        slugs += [item["slug"] for item in response.json()["results"]]
        url = response.json()["next"]
    return slugs
