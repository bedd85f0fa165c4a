from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from practices.links import PracticeLink
from practices.names import localised
from publishing.workflow import (
    InvalidTransition,
    Publishable,
    PublishableQuerySet,
    Status,
    record_move,
    require_comment,
)

__all__ = [
    "CooperationLevel",
    "GcmObjective",
    "GuidingPrinciple",
    "Indicator",
    "InterventionArea",
    "InvalidTransition",
    "Practice",
    "PracticeTranslation",
    "PracticeLink",
    "Programme",
    "StakeholderRole",
    "Status",
    "TargetGroup",
    "Theme",
]


class InNameOrder(models.Manager):
    """Categories in the alphabetical order of their names in the page's language.

    Meta.ordering would sort by the language's column alone, where a missing translation is
    NULL: first on SQLite, last on PostgreSQL. Sorting by the name shown (English where
    there is no translation) gives one order on both."""

    # A class attribute, not an argument: related managers are made from the class alone.
    field = "name"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().order_by(localised(self.field), "pk")


class InTitleOrder(InNameOrder):
    field = "title"


class Taxonomy(models.Model):
    """A named category of the knowledge base, addressed by its slug in URLs and imports."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = InNameOrder()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Theme(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def get_absolute_url(self) -> str:
        return reverse("practices:theme", kwargs={"slug": self.slug})


class TargetGroup(Taxonomy):
    """The "target category" of ASTICUDE's database: who a practice is for."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class InterventionArea(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("area of intervention")
        verbose_name_plural = _("areas of intervention")


class Programme(Taxonomy):
    """A funding or cooperation programme, such as MC2CM."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class GcmObjective(models.Model):
    """One of the 23 objectives of the Global Compact for Migration (A/RES/73/195)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_title = models.CharField(_("short title"), max_length=100)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"


class GuidingPrinciple(models.Model):
    """One of the ten cross-cutting guiding principles of the Global Compact."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)

    objects = InTitleOrder()

    class Meta:
        ordering = ["title"]
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")

    def __str__(self) -> str:
        return self.title


class CooperationLevel(models.Model):
    """Local, national, regional or international: a fixed list, loaded by a migration."""

    class Code(models.TextChoices):
        LOCAL = "local", _("Local")
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        INTERNATIONAL = "international", _("International")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("cooperation level")
        verbose_name_plural = _("cooperation levels")

    def __str__(self) -> str:
        return str(self.get_code_display())

    @property
    def name(self) -> str:
        return str(self.get_code_display())


class Practice(Publishable):
    """A good practice of the knowledge base, shaped on the records of local practice
    repositories (Summary, Impact, Lessons learnt, Priority objectives, Country, Local or
    regional government, Mayor, Start and End of project)."""

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(_("summary"))
    impact = models.TextField(_("impact"), blank=True)
    lessons_learnt = models.TextField(_("lessons learnt"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    local_government = models.CharField(
        _("local or regional government"), max_length=200, blank=True
    )
    country = CountryField(_("country"))
    mayor = models.CharField(
        _("mayor"),
        max_length=200,
        blank=True,
        help_text=_("The elected head of the local government, a public office holder."),
    )
    start_date = models.DateField(_("start of project"), null=True, blank=True)
    end_date = models.DateField(_("end of project"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    cooperation_levels = models.ManyToManyField(
        CooperationLevel, verbose_name=_("cooperation levels"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="practices"
    )
    objectives = models.ManyToManyField(
        GcmObjective,
        verbose_name=_("priority objectives"),
        blank=True,
        related_name="practices",
        help_text=_("Objectives of the Global Compact for Migration."),
    )
    principles = models.ManyToManyField(
        GuidingPrinciple, verbose_name=_("guiding principles"), blank=True, related_name="+"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="practices"
    )
    areas = models.ManyToManyField(
        InterventionArea,
        verbose_name=_("areas of intervention"),
        blank=True,
        related_name="practices",
    )
    stakeholders = models.ManyToManyField(
        "stakeholders.Stakeholder",
        through="StakeholderRole",
        verbose_name=_("stakeholders"),
        blank=True,
        related_name="practices",
    )

    history = HistoricalRecords(m2m_fields=[themes, objectives, target_groups, areas])

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "title"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="practice_ends_after_it_starts",
                violation_error_message=_("The end of the project cannot be before its start."),
            )
        ]
        indexes = [
            # The list's three orders, each with the id that ends it: any page's ids are
            # read from the index alone (search/paging.py).
            models.Index(fields=["status", "-published_at", "id"], name="practice_newest_order"),
            # The home page: real records before sample ones, newest first.
            models.Index(
                fields=["status", "is_sample", "-published_at"], name="practice_home_order"
            ),
            models.Index(fields=["status", "title", "id"], name="practice_title_order"),
            models.Index(
                fields=["status", "-start_date", "-published_at", "id"], name="practice_start_order"
            ),
            # The sitemap's pages of published practices, in id order, read from the index
            # alone (practices/sitemaps.py), and their latest change.
            models.Index(fields=["status", "id"], name="practice_status_id"),
            models.Index(fields=["status", "updated_at"], name="practice_status_updated"),
            models.Index(fields=["country"], name="practice_country"),
            models.Index(fields=["city"], name="practice_city"),
            models.Index(fields=["organisation", "status"], name="practice_org_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"slug": self.slug})

    def publish(self, by) -> None:
        """Publishing a practice approves the translations submitted with it."""
        super().publish(by)
        for translation in self.translations.awaiting_review():
            translation.approve(by)

    @cached_property
    def shown(self) -> ShownText:
        """What a reader is shown: the original text, unless practices/languages.py
        localise() replaced it by an approved translation into the page's language."""
        return ShownText(self, self.language, self.language)


class ShownText:
    """The texts a reader is shown, read from the practice itself or from a translation
    (only when asked, so that a card of a few fields loads no more of the practice)."""

    def __init__(self, source, language: str, original_language: str) -> None:
        self.source = source
        self.language = language
        self.original_language = original_language

    title = property(lambda self: self.source.title)
    summary = property(lambda self: self.source.summary)
    impact = property(lambda self: self.source.impact)
    lessons_learnt = property(lambda self: self.source.lessons_learnt)

    @property
    def is_translation(self) -> bool:
        return self.language != self.original_language

    def indicator_label(self, indicator) -> str:
        labels = getattr(self.source, "indicator_labels", None) or {}
        return labels.get(str(indicator.pk)) or indicator.label


class PracticeTranslation(models.Model):
    """A practice's texts in a language other than the one it was written in.

    The practice keeps its original text and `language`; a translation is reviewed on its
    own, so that one added to a published practice reaches the public only once a
    coordinator approved it (status "published"). Indicator labels are kept by indicator
    id, beside the texts they belong with."""

    TEXT_FIELDS = ("title", "summary", "impact", "lessons_learnt")
    #: Which translation it is, the same in every version of its history.
    IDENTITY_FIELDS = ("practice", "language")
    STATUSES = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED)

    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"))
    impact = models.TextField(_("impact"), blank=True)
    lessons_learnt = models.TextField(_("lessons learnt"), blank=True)
    indicator_labels = models.JSONField(_("indicator labels"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(status.value, status.label) for status in STATUSES],
        default=Status.SUBMITTED,
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    # published(): approved; awaiting_review(): submitted, like practices.
    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "language"]
        verbose_name = _("translation of a practice")
        verbose_name_plural = _("translations of practices")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language"], name="one_translation_per_language"
            )
        ]
        indexes = [models.Index(fields=["language", "status"], name="translation_language")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_language_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def clean(self) -> None:
        """The workspace form, the import and the admin refuse a "translation" into the
        language the practice is written in."""
        if self.practice_id and self.language == self.practice.language:
            raise ValidationError(
                {"language": _("A practice cannot be translated into this language.")}
            )

    def _decide(self, to: str, by, reason: str, comment: str = "") -> None:
        if self.status != Status.SUBMITTED:
            raise InvalidTransition(
                _("Only a translation waiting for review can be approved or sent back."),
                code="invalid_transition",
            )
        record_move(self, to, by, reason, comment)

    def approve(self, by) -> None:
        self._decide(Status.PUBLISHED, by, "Published")

    def request_changes(self, by, comment: str) -> None:
        require_comment(comment)
        self._decide(Status.CHANGES_REQUESTED, by, "Changes requested", comment)


class PracticeSearch(models.Model):
    """The full-text vector of a practice (search/fulltext.py), written by search/index.py
    and GIN-indexed, on PostgreSQL only.

    A narrow table of its own, with the vectors stored out of line (toast_tuple_target,
    migration 0007): turning a common word's matches into practice ids then reads a few
    small pages per thousand matches instead of the wide practice rows
    (docs/performance/design.md)."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    vector = SearchVectorField()

    def __str__(self) -> str:
        return str(self.practice_id)


class StakeholderRole(models.Model):
    """The part an organisation plays in a practice."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        IMPLEMENTING = "implementing", _("Implementing")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        SUPPORTER = "supporter", _("Supporter")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="roles")
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("stakeholder"),
        on_delete=models.PROTECT,
        related_name="practice_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["practice", "role", "stakeholder__name"]
        verbose_name = _("stakeholder role")
        verbose_name_plural = _("stakeholder roles")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "stakeholder", "role"], name="unique_stakeholder_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.get_role_display()})"


class Indicator(models.Model):
    """A measured result of a practice, e.g. "narrative creators trained": target 40."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField(_("label"), max_length=200)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    achieved = models.DecimalField(
        _("achieved"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["practice", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="indicator_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(achieved__isnull=True) | Q(achieved__gte=0),
                name="indicator_achieved_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def share_reached(self) -> float | None:
        """Achieved as a fraction of the target, or None when there is no target."""
        if not self.target or self.achieved is None:
            return None
        return float(self.achieved / self.target)
