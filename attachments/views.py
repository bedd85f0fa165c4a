"""The documents and images of a record: the workspace page that adds and removes them, and
the view that serves every file after checking who may see its record."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attachments.forms import DocumentForm, ImageForm
from attachments.models import Attachment
from publishing import emails
from publishing.access import can_view, is_coordinator
from publishing.record_types import RecordType
from publishing.workflow import Status

FORMS = {"document": DocumentForm, "image": ImageForm}


@login_required
def files(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    """The files of one record; a POST adds one (`form` says which kind)."""
    item = kind.get_for_user(request, slug, write=True)
    forms = {name: form_class(prefix=name) for name, form_class in FORMS.items()}
    status = 200
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name in FORMS:
            forms[name] = FORMS[name](request.POST, request.FILES, prefix=name)
            if forms[name].is_valid():
                forms[name].store(item, request.user)
                _after_change(request, item, added=True)
                return redirect("attachments:files", kind=kind.slug, slug=item.slug)
            messages.error(request, _("Nothing was added: please correct the errors below."))
        else:  # not sent by one of the page's forms
            messages.error(request, _("Nothing was added: send a file with one of the forms."))
        status = 400
    context = {
        "kind": kind,
        "item": item,
        "forms": forms,
        "documents": Attachment.objects.of(item).documents(),
        "images": Attachment.objects.of(item).images(),
    }
    return render(request, "attachments/files.html", context, status=status)


@require_POST
@login_required
def remove(request: HttpRequest, kind: RecordType, slug: str, key) -> HttpResponse:
    item = kind.get_for_user(request, slug, write=True)
    attachment = get_object_or_404(Attachment.objects.of(item), key=key)
    attachment.delete()
    _after_change(request, item, added=False)
    return redirect("attachments:files", kind=kind.slug, slug=item.slug)


def _after_change(request: HttpRequest, item, added: bool) -> None:
    """A published record's files are public as soon as they change, like its fields: the
    coordinators are told, as they are of an edit (publishing/views/workspace.py)."""
    if item.status == Status.PUBLISHED and not is_coordinator(request.user):
        emails.send_published_edited(request, item)
        if added:
            told = _("The file was added. It is public; the coordinators were told.")
        else:
            told = _("The file was removed. The coordinators were told.")
        messages.info(request, told)
    else:
        messages.success(request, _("The file was added.") if added else _("The file was removed."))


VARIANTS = {"file", "card", "large"}


@require_GET
def serve(request: HttpRequest, key, variant: str) -> HttpResponse:
    """A file, to whoever may see its record (404 to anyone else: an unpublished record's
    files do not exist for the public). Documents download; images show inline."""
    attachment = get_object_or_404(Attachment.objects.select_related("practice", "event"), key=key)
    field = getattr(attachment, variant) if variant in VARIANTS else None
    if not field or not can_view(request.user, attachment.record):
        raise Http404
    content_type = attachment.content_type if variant == "file" else "image/webp"
    if settings.ATTACHMENT_ACCEL_REDIRECT:
        # nginx sends the file from an `internal` location (README), once access is decided.
        response = HttpResponse(content_type=content_type)
        prefix = settings.ATTACHMENT_ACCEL_REDIRECT.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{field.name}"
    else:
        try:
            handle = default_storage.open(field.name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    if attachment.is_image:
        response["Content-Disposition"] = "inline"
    else:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=attachment.download_name()
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Published files may be cached by anyone; the others only by the browser that asked.
    public = attachment.record.status == Status.PUBLISHED
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
