"""Invitations: a coordinator makes a partner's account and membership; the partner
receives a link to choose a password, so no password ever travels by email. Also the
password-reset request, limited per address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nador_portal.client import client_ip
from nador_portal.signin import reset_address_limit
from publishing import emails
from publishing.access import coordinator_required
from publishing.forms import InvitationForm, PasswordResetForm
from stakeholders.models import Membership


@coordinator_required
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=None,  # unusable until the partner chooses one
            )
            Membership.objects.create(user=user, stakeholder=data["organisation"])
        emails.send_invitation(request, user, data["organisation"])
        messages.success(
            request,
            _("%(username)s was invited: a link to choose a password went to %(email)s.")
            % {"username": user.get_username(), "email": user.email},
        )
        return redirect("invite_partner")
    status = 400 if form.is_bound else 200
    return render(request, "registration/invite.html", {"form": form}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, counted per address: past the limit, the form says so (429)."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        limit = reset_address_limit()
        if limit.hit(client_ip(self.request)) > limit.limit:
            minutes = limit.retry_after_minutes()
            form.add_error(
                None,
                _("Too many reset requests from this connection. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(limit.retry_after())
            return response
        return super().form_valid(form)
