"""The folding that gives SQLite accent-, case- and Arabic-spelling-insensitive search."""

import pytest
from django.db import connection

from search import folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Couturières", "couturieres"),
        ("INTÉGRATION", "integration"),
        ("مُهاجِر", "مهاجر"),
        ("مـهـاجـر", "مهاجر"),
        ("أحمد إسلام آمال ٱلناظور", "احمد اسلام امال الناظور"),
        ("مستشفى مدرسة", "مستشفي مدرسه"),
    ],
)
def test_folding_drops_case_accents_vowel_marks_and_arabic_spelling_variants(text, folded):
    assert folding.fold(text) == folded


def test_a_query_word_loses_its_arabic_article_but_a_short_word_keeps_it():
    assert folding.query_words("الناظور والمهاجرين للمهاجرين الله Nador") == [
        "ناظور",
        "مهاجرين",
        "مهاجرين",
        "الله",
        "nador",
    ]


def test_highlighting_marks_the_original_letters_of_a_folded_match():
    marked = folding.highlight("Les couturières, مع المُهاجِرين", ["couturieres", "مهاجر"], "[", "]")
    assert marked == "Les [couturières], مع ال[مُهاجِر]ين"


def test_overlapping_matches_are_marked_once():
    assert folding.highlight("migrantes", ["migra", "grant"], "[", "]") == "[migrant]es"


@pytest.mark.django_db
def test_sqlite_connections_know_the_folding_function():
    if connection.vendor != "sqlite":
        assert not folding.register(connection=connection)  # nothing to do on PostgreSQL
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT nador_fold(%s)", ["Couturières"])
        assert cursor.fetchone() == ("couturieres",)
