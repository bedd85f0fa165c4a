"""The alerts' pages: subscribe to a list, confirm, unsubscribe, see and delete one's alerts.

No account: the confirmation, unsubscribe and manage pages are reached by the signed links of
the mails (alerts/tokens.py), and a link that is forged, expired or of a deleted alert is a
404 that says so. Nothing changes on GET, since mail scanners follow links: each page asks
for a button. Only the unsubscribe address takes a POST without a CSRF token, as mail
clients send it (RFC 8058 one-click), and it does nothing without the token of an alert.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from alerts.emails import link, send_confirmation
from alerts.filters import chips, filterset_of, labels_of, list_filters, saved_filters
from alerts.forms import SubscriptionForm
from alerts.models import Subscription
from alerts.tokens import subscription_for
from nador_portal.client import client_ip
from nador_portal.throttle import Limit
from practices.feeds import filter_labels

HOUR = 60 * 60
MAX_FILTERS_LENGTH = Subscription._meta.get_field("filters").max_length


def address_limit() -> Limit:
    return Limit("alerts-address", settings.ALERTS_ADDRESS_LIMIT, HOUR)


def email_limit() -> Limit:
    return Limit("alerts-email", settings.ALERTS_EMAIL_LIMIT, HOUR)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    params = list_filters(request.GET)
    filterset = filterset_of(params)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    errors = filterset.error_messages()
    saved = saved_filters(filterset) if not errors else ""
    if len(saved) > MAX_FILTERS_LENGTH:
        errors = [
            pgettext("alerts", "This list has too many filters for an alert. Remove some of them.")
        ]
    context = {
        "form": form,
        "filter_errors": errors,
        "chips": chips(params, filterset, request.path),
        "clear_url": request.path,
        "list_url": _list_url(params),
    }
    if errors:
        return render(request, "alerts/subscribe.html", context, status=400)
    if form.is_bound and form.is_valid():
        refused = _throttled(request, form)
        if refused is not None:
            response = render(request, "alerts/subscribe.html", context, status=429)
            response["Retry-After"] = refused
            return response
        subscription = Subscription.objects.create(
            email=form.cleaned_data["email"],
            language=get_language(),
            filters=saved,
            frequency=form.cleaned_data["frequency"],
        )
        send_confirmation(request, subscription, filter_labels(filterset))
        return redirect("alerts:sent")
    return render(request, "alerts/subscribe.html", context, status=400 if form.is_bound else 200)


def _list_url(params) -> str:
    query = params.urlencode()
    return reverse("practices:list") + (f"?{query}" if query else "")


def _throttled(request: HttpRequest, form: SubscriptionForm) -> str | None:
    """Past a limit, the form says so and the 429's Retry-After is returned."""
    for limit, key, message in (
        (
            address_limit(),
            client_ip(request),
            pgettext(
                "alerts",
                "Too many alert requests from this connection. Try again in %(minutes)d minutes.",
            ),
        ),
        (
            email_limit(),
            form.cleaned_data["email"].casefold(),
            pgettext(
                "alerts",
                "Too many alert requests for this e-mail address. "
                "Try again in %(minutes)d minutes.",
            ),
        ),
    ):
        if limit.hit(key) > limit.limit:
            form.add_error(None, message % {"minutes": limit.retry_after_minutes()})
            return str(limit.retry_after())
    return None


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/sent.html", {"days": settings.ALERTS_CONFIRM_DAYS})


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/invalid_link.html", status=404)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for(token, "confirm")
    if subscription is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscription.confirm()
        messages.success(request, pgettext("alerts", "Your alert is confirmed."))
        return redirect(link(subscription, "manage"))
    context = {"subscription": subscription, "labels": labels_of(subscription.filters)}
    return render(request, "alerts/confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for(token, "unsubscribe")
    if subscription is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscription.delete()
        if request.POST.get("List-Unsubscribe") == "One-Click":
            # A mail client, not a person: a short answer, no page.
            return HttpResponse(
                pgettext("alerts", "Unsubscribed."), content_type="text/plain; charset=utf-8"
            )
        return redirect("alerts:unsubscribed")
    context = {
        "subscription": subscription,
        "labels": labels_of(subscription.filters),
        "manage_url": link(subscription, "manage"),
    }
    return render(request, "alerts/unsubscribe.html", context)


@require_GET
def unsubscribed(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/unsubscribed.html")


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every alert of the address the link was sent to, each with a button to delete it."""
    anchor = subscription_for(token, "manage")
    if anchor is None:
        return _invalid_link(request)
    alerts = list(anchor.siblings())
    if request.method == "POST":
        chosen = _chosen(request.POST.get("delete", ""), alerts)
        if chosen:
            Subscription.objects.filter(pk__in=[alert.pk for alert in chosen]).delete()
            messages.success(request, pgettext("alerts", "Deleted."))
            return _after_deletion(anchor, [alert for alert in alerts if alert not in chosen])
    for alert in alerts:
        alert.labels = labels_of(alert.filters)
    refused = request.method == "POST"
    context = {"alerts": alerts, "refused": refused}
    return render(request, "alerts/manage.html", context, status=400 if refused else 200)


def _chosen(value: str, alerts: list[Subscription]) -> list[Subscription]:
    if value == "all":
        return alerts
    return [alert for alert in alerts if str(alert.pk) == value]


def _after_deletion(anchor: Subscription, remaining: list[Subscription]) -> HttpResponse:
    """Back to the list of the alerts left, through a link that still works."""
    if not remaining:
        return redirect("alerts:unsubscribed")
    kept = anchor if anchor in remaining else remaining[0]
    return redirect(link(kept, "manage"))
