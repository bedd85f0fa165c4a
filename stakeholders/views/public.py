from django.shortcuts import get_object_or_404, render

from stakeholders.models import Stakeholder


def stakeholder_detail(request, slug: str):
    stakeholder = get_object_or_404(Stakeholder, slug=slug)
    return render(request, "stakeholders/stakeholder_detail.html", {"stakeholder": stakeholder})
