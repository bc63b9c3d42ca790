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


def test_an_actions_column_when_asked_after_the_numeric_ones():
    source = '{% table "Staff" "Name" "Pay" numeric=1 actions=editor %}{% endtable %}'
    heads = [line.strip() for line in render(source, editor=True).splitlines() if "<th " in line]
    assert heads == [
        '<th scope="col" class="govuk-table__header">Name</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Pay</th>',
        '<th scope="col" class="govuk-table__header">'
        '<span class="govuk-visually-hidden">Actions</span></th>',
    ]
    assert "Actions" not in render(source, editor=False)


def test_a_caption_block_a_hidden_caption_and_a_list_of_columns():
    html = render(
        '{% table "Staff" "Row" heads numeric=1 %}<tr></tr>{% caption %}{{ n }} staff, '
        "{{ who }}{% endcaption %}<tr><td>2</td></tr>{% endtable %}",
        heads=["Name", "Pay"], n=3, who="A & B",
    )
    assert 'aria-label="Staff"' in html
    assert '--s">3 staff, A &amp; B</caption>' in html
    assert '<tbody class="govuk-table__body"><tr></tr><tr><td>2</td></tr></tbody>' in html
    assert [line.strip() for line in html.splitlines() if "<th " in line] == [
        '<th scope="col" class="govuk-table__header">Row</th>',
        '<th scope="col" class="govuk-table__header">Name</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Pay</th>',
    ]
    hidden = render('{% table "Waiting" "A" caption="hidden" %}{% endtable %}')
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Waiting</caption>' in hidden


def test_heads_marked_numeric_shown_when_their_condition_holds_and_filled_in():
    source = (
        '{% table "Scores" "Principle" "Score"|numeric "Lowest" "Previous"|numeric|when:compare '
        'who|numeric "Paid by {}"|filled:org actions="Remove"|when:editor %}{% endtable %}'
    )
    html = render(source, compare=True, who="<i>x</i>", org="A & B", editor=True)
    assert [line.strip() for line in html.splitlines() if "<th " in line] == [
        '<th scope="col" class="govuk-table__header">Principle</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Score</th>',
        '<th scope="col" class="govuk-table__header">Lowest</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Previous</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        "&lt;i&gt;x&lt;/i&gt;</th>",
        '<th scope="col" class="govuk-table__header">Paid by A &amp; B</th>',
        '<th scope="col" class="govuk-table__header">'
        '<span class="govuk-visually-hidden">Remove</span></th>',
    ]
    html = render(source, compare=False, who="x", org="O", editor=False)
    assert "Previous" not in html and "Remove" not in html


def test_a_foot_only_when_it_writes_something():
    source = (
        '{% table "Results" "Tenant" %}<tr><td>a</td></tr>'
        "{% foot %}{% if total %}<tr><td>{{ total }}</td></tr>{% endif %}{% endfoot %}{% endtable %}"
    )
    assert "</tbody>\n  <tfoot><tr><td>7</td></tr></tfoot>\n</table>" in render(source, total=7)
    assert "<tfoot" not in render(source, total=0)
