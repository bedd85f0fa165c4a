"""The contact form of a published practice, and the messages in the review area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contact.emails import lead_organisation, recipients_of, send_contact_request
from contact.forms import ContactAddressForm, ContactRequestForm
from contact.models import ContactRequest
from nador_portal.client import client_ip
from practices.models import Practice
from publishing.access import can_edit_organisation, is_coordinator, kept_for_organisations
from stakeholders.models import Stakeholder

PER_PAGE = 50


@require_http_methods(["GET", "HEAD", "POST"])
def contact_form(request: HttpRequest, slug: str) -> HttpResponse:
    """The form alone (it is also on the practice page); refused, it comes back here with
    what was typed and why, and nothing is stored or sent."""
    practice = get_object_or_404(Practice.objects.published(), slug=slug)
    if request.method != "POST":
        form = ContactRequestForm(practice=practice)
        return render(request, "contact/contact_form.html", {"practice": practice, "form": form})
    form = ContactRequestForm(request.POST, practice=practice, address=client_ip(request))
    if not form.is_valid():
        context = {"practice": practice, "form": form}
        return render(request, "contact/contact_form.html", context, status=400)
    _send(request, form, practice)
    messages.success(request, _("Your message was sent to the organisation. Thank you."))
    return redirect(practice.get_absolute_url() + "#contact-heading")


def _send(request: HttpRequest, form: ContactRequestForm, practice: Practice) -> None:
    organisation = lead_organisation(practice)
    sent_to, recipients = recipients_of(organisation)
    contact = form.save(commit=False)
    contact.practice = practice
    contact.organisation = organisation
    contact.sent_to = sent_to
    contact.language = get_language()
    contact.save()
    form.count()
    send_contact_request(request, contact, recipients)


@require_safe
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    found = kept_for_organisations(ContactRequest.objects.all(), request.user)
    page = Paginator(found.select_related("practice", "organisation"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "page_prefix": "?",
        "shows_sender": is_coordinator(request.user),
    }
    return render(request, "contact/request_list.html", context)


@require_safe
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = kept_for_organisations(ContactRequest.objects.all(), request.user)
    contact = get_object_or_404(found.select_related("practice", "organisation"), pk=pk)
    context = {"contact": contact, "shows_sender": is_coordinator(request.user)}
    return render(request, "contact/request_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contact_address(request: HttpRequest, slug: str) -> HttpResponse:
    """Where visitors' messages about the organisation's practices go; recorded in its
    history like any change of the organisation."""
    organisation = get_object_or_404(Stakeholder, slug=slug)
    if not can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = ContactAddressForm(request.POST or None, instance=organisation)
    if request.method == "POST":
        if form.is_valid():
            organisation._history_user = request.user
            organisation._change_reason = "Contact address changed"
            form.save()
            messages.success(request, _("Saved."))
            return redirect("contact:address", slug=organisation.slug)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
    context = {"organisation": organisation, "form": form}
    return render(
        request, "contact/contact_address.html", context, status=400 if form.errors else 200
    )
