"""Translations of practices: partners write them in the workspace, one page per
language; coordinators approve them or send them back, like any other change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from practices.forms import PracticeTranslationForm
from practices.models import Practice, PracticeTranslation
from publishing import emails
from publishing.access import coordinator_required, get_practice_for_user, is_coordinator
from publishing.forms import ReviewCommentForm
from publishing.history import changes_since_review
from publishing.saving import decide_translation, delete_translation, save_translation
from publishing.workflow import InvalidTransition

LANGUAGES = dict(settings.LANGUAGES)


def _language_of(practice: Practice, language: str) -> str:
    """A language the practice can be translated into: not its own, one of the portal's."""
    if language not in LANGUAGES or language == practice.language:
        raise Http404(_("A practice cannot be translated into this language."))
    return language


@login_required
def edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    practice = get_practice_for_user(request, slug, write=True)
    language = _language_of(practice, language)
    translation = practice.translations.filter(language=language).first() or PracticeTranslation(
        practice=practice, language=language
    )
    indicators = practice.indicators.all()
    data = request.POST if request.method == "POST" else None
    form = PracticeTranslationForm(data, instance=translation, indicators=indicators)
    status = 200
    if data is not None:
        if form.is_valid() and _save(request, form):
            return redirect("workspace:translation", slug=practice.slug, language=language)
        status = 409 if form.is_stale else 400
        messages.error(request, _("Nothing was saved: please correct the errors below."))
    context = {
        "practice": practice,
        "language": language,
        "language_name": LANGUAGES[language],
        "translation": translation,
        "form": form,
    }
    return render(request, "workspace/translation.html", context, status=status)


def _save(request: HttpRequest, form: PracticeTranslationForm) -> bool:
    adding = form.instance._state.adding
    coordinator = is_coordinator(request.user)
    try:
        with transaction.atomic():
            if not form.lock_if_current():
                return False
            translation = form.save(commit=False)
            reason = "Translation added" if adding else "Translation edited"
            save_translation(translation, request.user, reason, approved=coordinator)
    except IntegrityError:  # someone added this language's translation meanwhile
        form.add_error(None, form.stale_error())
        return False
    if coordinator:
        messages.success(request, _("Saved. The translation is published with the practice."))
    else:
        emails.send_translation_submitted(request, translation)
        messages.success(
            request,
            _("Saved. The coordinators were told; the public reads it once they approve it."),
        )
    return True


@require_POST
@login_required
def delete(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    practice = get_practice_for_user(request, slug, write=True)
    translation = get_object_or_404(practice.translations, language=language)
    delete_translation(translation, request.user)
    messages.success(request, _("The translation was removed. This is recorded in the history."))
    return redirect("workspace:edit", kind="practices", slug=practice.slug)


@coordinator_required
def review(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    practice = get_practice_for_user(request, slug)
    translation = get_object_or_404(practice.translations, language=language)
    return _render_review(request, translation, ReviewCommentForm())


def _render_review(request, translation, form, status: int = 200) -> HttpResponse:
    practice = translation.practice
    context = {
        "practice": practice,
        "translation": translation,
        "language_name": LANGUAGES[translation.language],
        "changes": changes_since_review(translation)[1],
        "indicators": [
            (indicator, translation.indicator_labels.get(str(indicator.pk), ""))
            for indicator in practice.indicators.all()
        ],
        "form": form,
    }
    return render(request, "review/translation.html", context, status=status)


DECISIONS = {"approve": ("approve", False), "request-changes": ("request_changes", True)}


@require_POST
@coordinator_required
def decide(request: HttpRequest, slug: str, language: str, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    practice = get_practice_for_user(request, slug)
    translation = get_object_or_404(practice.translations, language=language)
    form = ReviewCommentForm(request.POST)
    if not form.is_valid():
        return _render_review(request, translation, form, status=400)
    action, with_comment = DECISIONS[decision]
    details = {"comment": form.cleaned_data["comment"]} if with_comment else {}
    try:
        decide_translation(translation, action, by=request.user, **details)
    except InvalidTransition as error:
        form.add_error("comment" if error.code == "comment_required" else None, error)
        translation.refresh_from_db()
        return _render_review(request, translation, form, status=400)
    message = _("Translation into %(language)s of “%(title)s”: %(status)s.")
    params = {
        "language": LANGUAGES[translation.language],
        "title": practice.title,
        "status": translation.get_status_display(),
    }
    messages.success(request, message % params)
    return redirect("review:queue")
