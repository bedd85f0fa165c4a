"""The contact section of a practice page (templates/contact/_contact.html): the page is
the catalogue's, which knows nothing of this app."""

from django import template

from contact.forms import ContactRequestForm
from contact.models import ContactRequest

register = template.Library()


@register.simple_tag
def contact_form_for(practice) -> ContactRequestForm:
    return ContactRequestForm(practice=practice)


@register.simple_tag
def cities_asking(practice) -> int:
    """How many cities asked about the practice: distinct (city, country) of its messages."""
    return ContactRequest.objects.filter(practice=practice).cities_count()
