"""Parts of the public practice list written in Python rather than in template loops.

A facet offers up to fifty options and the list shows about two hundred and fifty of them:
in the template language each option cost a dozen variable lookups and a
{% blocktranslate %}, the largest part of the page's time at 10,000 practices
(docs/performance/log.md). The HTML is the template's, byte for byte
(tests/practices/test_list_rendering.py holds them equal)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()

INDENT = "\n      "


@register.simple_tag
def facet_options(options) -> SafeString:
    """The <li> of each option of a facet (search/facet_options.FacetOption): a link to
    the list with that option toggled, with its count."""
    remove = conditional_escape(gettext("Remove filter:"))
    words: dict[int, str] = {}
    html = []
    for option in options:
        count = option.count
        if count not in words:
            words[count] = ngettext("practice", "practices", count)
        url = conditional_escape(option.url)
        if option.selected:
            link = (
                f'<a href="{url}" class="option selected" aria-current="true">'
                f'<span class="visually-hidden">{remove} </span>'
            )
        else:
            link = f'<a href="{url}" class="option">'
        html.append(
            f"{INDENT}<li>{link}{conditional_escape(option.label)} "
            f'<span class="count">{count}<span class="visually-hidden"> {words[count]}</span>'
            f"</span></a></li>{INDENT}"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value in it is escaped
