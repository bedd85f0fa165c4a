"""Invitations: a coordinator makes a partner's account and membership; the partner
receives a link to choose a password, so no password ever travels by email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from publishing import emails
from publishing.access import coordinator_required
from publishing.forms import InvitationForm
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
