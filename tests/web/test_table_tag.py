"""The {% table %} tag writes the markup around a page's rows: the region, caption and heads."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context: object) -> str:
    return Template("{% load kil_table %}" + source).render(Context(context))


def test_caption_names_the_region_and_the_last_columns_are_numeric():
    html = render(
        '{% table "Spend by tier" "Tier" "Spend" "Share" numeric=2 css="spend-table" name="tiers" %}'
        "<tr><td>row</td></tr>{% endtable %}"
    )
    assert html.startswith(
        '<div class="kil-table-wrap" role="region" aria-label="Spend by tier" tabindex="0">\n'
        '<table class="govuk-table spend-table" data-table="tiers">\n'
        '  <caption class="govuk-table__caption govuk-table__caption--s">Spend by tier</caption>'
    )
    heads = [line.strip() for line in html.splitlines() if line.strip().startswith("<th ")]
    assert heads == [
        '<th scope="col" class="govuk-table__header">Tier</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Spend</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Share</th>',
    ]
    assert '<tbody class="govuk-table__body"><tr><td>row</td></tr></tbody>' in html
    assert html.endswith("</table>\n</div>")


def test_no_caption_a_region_of_its_own_and_values_are_escaped():
    """Values from the context are escaped; strings written in the template are HTML already."""
    html = render(
        '{% table title "Rule" who caption="" region=region id="rules" %}{% endtable %}',
        title="<b>Rules</b>",
        who="O'Neill & Co",
        region="Rules & reasons",
    )
    assert "<caption" not in html and "<b>" not in html
    assert (
        'aria-label="Rules &amp; reasons"' in html
        and '<table class="govuk-table" id="rules">' in html
    )
    assert ">O&#x27;Neill &amp; Co</th>" in html


def test_a_medium_caption_and_a_misspelt_option():
    assert 'govuk-table__caption--m">Anchors<' in render(
        '{% table "Anchors" "A" caption="m" %}{% endtable %}'
    )
    with pytest.raises(TemplateSyntaxError, match="no option 'numbers'"):
        render('{% table "Anchors" "A" numbers=1 %}{% endtable %}')
