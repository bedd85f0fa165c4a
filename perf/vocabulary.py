"""The words and places of the bench data (perf/benchdata.py), and the seeded draws
among them: texts from a pool of sentences of Zipf-like word frequencies, popular items
more often than rare ones."""

# The generator wants a seeded, repeatable random source, not a cryptographic one.
# ruff: noqa: S311
from __future__ import annotations

import random


def _words(text: str) -> list[str]:
    return text.split()


# Country weights: the programme's own countries first, then 36 others, thinner and thinner.
COUNTRIES = [("MA", 30), ("ES", 15), ("FR", 12), ("TN", 10)] + [
    (code, max(1, 8 - i // 5))
    for i, code in enumerate(
        _words(
            "DZ EG LB JO IT PT GR DE BE NL SN ML NE CI GN NG GH CM MR LY TR SY IQ SD "
            "ET ER SO KE MT CY AT CH SE GB IE PS"
        )
    )
]
CITIES = {
    "MA": "Nador Oujda Tangier Rabat Casablanca Fez Marrakesh Agadir Tetouan Berkane",
    "ES": "Seville Madrid Barcelona Valencia Malaga Almeria Granada Murcia Bilbao Melilla",
    "FR": "Marseille Lyon Paris Toulouse Montpellier Nice Lille Bordeaux Grenoble Strasbourg",
    "TN": "Tunis Sfax Sousse Medenine Gabes Bizerte Kairouan Gafsa",
}

# Words of the field, most frequent first: their Zipf-like weights make "migrants" appear in
# almost every text and the tail in a few hundred.
WORDS = {
    "en": _words(
        "migrants migration local community inclusion project city dialogue social "
        "intercultural integration residents municipality training journalists youth women "
        "discrimination access services cooperation network awareness rights refugees "
        "asylum education employment health housing culture media narrative capacity "
        "partners civil society stakeholders mapping research strategy policy governance "
        "campaign festival workshop mediation volunteers documentation registration "
        "language literacy entrepreneurship microcredit apprenticeship mentoring "
        "unaccompanied minors trafficking racism xenophobia reception shelter legal aid "
        "diaspora remittances return reintegration seasonal workers agriculture fisheries "
        "coastal border transit smuggling consulate ombudsman cohesion solidarity"
    ),
    "fr": _words(
        "migrants migration communauté locale inclusion projet ville dialogue sociale "
        "interculturel intégration habitants commune formation journalistes jeunesse femmes "
        "discrimination accès services coopération réseau sensibilisation droits réfugiés "
        "asile éducation emploi santé logement culture médias récit capacités partenaires "
        "société civile acteurs cartographie recherche stratégie politique gouvernance "
        "campagne festival atelier médiation bénévoles accueil hébergement aide juridique "
        "diaspora transferts retour réinsertion saisonniers agriculture pêche frontière"
    ),
    "es": _words(
        "migrantes migración comunidad local inclusión proyecto ciudad diálogo social "
        "intercultural integración vecinos ayuntamiento formación periodistas juventud "
        "mujeres discriminación acceso servicios cooperación red sensibilización derechos "
        "refugiados asilo educación empleo salud vivienda cultura medios relato capacidades "
        "socios sociedad civil actores mapeo investigación estrategia política gobernanza "
        "campaña festival taller mediación voluntarios acogida albergue asistencia jurídica "
        "diáspora remesas retorno reintegración temporeros agricultura pesca frontera"
    ),
    # Only translations are written in Arabic: the original texts of practices marked
    # Arabic are in English, as they were before translations came (same bench data).
    "ar": _words(
        "المهاجرين الهجرة المجتمع المحلي الإدماج مشروع المدينة الحوار الاجتماعي التعايش "
        "الاندماج السكان البلدية التكوين الصحفيين الشباب النساء التمييز الولوج الخدمات "
        "التعاون الشبكة التحسيس الحقوق اللاجئين اللجوء التعليم التشغيل الصحة السكن الثقافة "
        "الإعلام السرد القدرات الشركاء المدني الفاعلين الخرائط البحث الاستراتيجية السياسة "
        "الحكامة الحملة المهرجان الورشة الوساطة المتطوعين الاستقبال الإيواء المساعدة "
        "القانونية الجالية التحويلات العودة الموسميين الفلاحة الصيد الحدود"
    ),
}
GLUE = {
    "en": _words("the of and to in for with by on from at a"),
    "fr": _words("le la les de des et pour avec par dans sur du un une"),
    "es": _words("el la los las de del y para con por en sobre un una"),
    "ar": _words("في من إلى على مع عن و حول لدى عبر"),
}
# Rare words: one practice in three gets one, so a search for the rarest finds a few dozen.
RARE = _words(
    "oasis caravan lighthouse mosaic harbour olive saffron cedar argan pottery calligraphy "
    "tagine couscous flamenco gnawa zellige henna esparto cork almond fig pomegranate "
    "sardine tuna sponge coral dune sirocco levante tramontane"
)
TITLE_WORDS = {
    "en": "Dialogue Inclusion Voices Bridges Spaces Welcome Together Rights Stories Futures",
    "fr": "Dialogue Inclusion Voix Ponts Espaces Accueil Ensemble Droits Récits Avenirs",
    "es": "Diálogo Inclusión Voces Puentes Espacios Acogida Juntos Derechos Relatos Futuros",
    "ar": "حوار إدماج أصوات جسور فضاءات استقبال معا حقوق حكايات مستقبل",
}
ORIGINAL_LANGUAGES = ("en", "fr", "es")


def zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


class TextMaker:
    """Texts of realistic length from a pre-built pool of sentences, so that 300,000
    texts of 1,000-2,500 characters cost seconds, not minutes."""

    def __init__(
        self,
        rng: random.Random,
        sentences_per_language: int = 1_500,
        languages=ORIGINAL_LANGUAGES,
    ) -> None:
        self.rng = rng
        self.pool = {
            language: [self._sentence(language) for _ in range(sentences_per_language)]
            for language in languages
        }

    def _sentence(self, language: str) -> str:
        words, glue = WORDS[language], GLUE[language]
        picked = self.rng.choices(words, weights=zipf(len(words)), k=self.rng.randint(6, 14))
        mixed = [w if i % 2 else f"{self.rng.choice(glue)} {w}" for i, w in enumerate(picked)]
        return " ".join(mixed).capitalize() + "."

    def text(self, language: str, length: int, rare: str = "") -> str:
        pool = self.pool.get(language, self.pool["en"])
        parts: list[str] = []
        size = 0
        while size < length:
            sentence = self.rng.choice(pool)
            parts.append(sentence)
            size += len(sentence) + 1
        if rare:
            parts.insert(self.rng.randrange(len(parts)), f"{rare.capitalize()}.")
        return " ".join(parts)


def weighted(rng: random.Random, population: list, weights: list[float], low: int, high: int):
    """Between low and high distinct items, popular ones more often."""
    k = min(rng.randint(low, high), len(population))
    chosen: set = set()
    while len(chosen) < k:
        chosen.add(rng.choices(population, weights=weights)[0])
    return sorted(chosen)
