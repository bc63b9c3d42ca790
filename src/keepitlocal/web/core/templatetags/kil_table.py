"""The markup around a table of figures, written once: the scrolling region that keeps a wide
table inside a phone's window, the GOV.UK classes, the caption and the column heads. A page
writes only its rows:

    {% load kil_table %}
    {% table "Spend by tier" "Tier" "Spend" "Share" numeric=2 css="spend-table" name="tiers" %}
      <tr class="govuk-table__row">...</tr>
    {% endtable %}

The first argument is the caption (`caption="m"` for a medium one, `caption=""` for none) and
names the scrolling region for screen readers (`region` names it otherwise); the others head
the columns, the last `numeric` of them right-aligned for numbers; `css` adds classes to the
table, `name` sets its `data-table` and `id` its id. As everywhere in a template, values are
escaped and strings written in the template are taken as HTML.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

OPTIONS = ("numeric", "caption", "region", "css", "name", "id")


class TableNode(template.Node):
    def __init__(
        self,
        label: FilterExpression,
        columns: list[FilterExpression],
        options: dict[str, FilterExpression],
        rows: template.NodeList,
    ) -> None:
        self.label, self.columns, self.options, self.rows = label, columns, options, rows

    def render(self, context: template.Context) -> SafeString:
        label = self.label.resolve(context)
        option = {k: v.resolve(context) for k, v in self.options.items()}
        columns = [c.resolve(context) for c in self.columns]
        numeric = len(columns) - int(option.get("numeric") or 0)
        caption = option.get("caption", "s")
        attributes = format_html_join(
            "",
            ' {}="{}"',
            (
                (key, option[name])
                for name, key in (("name", "data-table"), ("id", "id"))
                if option.get(name)
            ),
        )
        css = f" {option['css']}" if option.get("css") else ""
        head = format_html_join(
            "\n    ",
            '<th scope="col" class="govuk-table__header{}">{}</th>',
            (
                (" govuk-table__header--numeric" if i >= numeric else "", text)
                for i, text in enumerate(columns)
            ),
        )
        return format_html(
            '<div class="kil-table-wrap" role="region" aria-label="{}" tabindex="0">\n'
            '<table class="govuk-table{}"{}>\n'
            "{}"
            '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
            "    {}\n"
            "  </tr></thead>\n"
            '  <tbody class="govuk-table__body">{}</tbody>\n'
            "</table>\n"
            "</div>",
            option.get("region") or label,
            css,
            attributes,
            format_html(
                '  <caption class="govuk-table__caption govuk-table__caption--{}">{}</caption>\n',
                caption,
                label,
            )
            if caption
            else "",
            head,
            self.rows.render(context),
        )


@register.tag("table")
def table(parser: Parser, token: Token) -> TableNode:
    """{% table caption column... [numeric=N caption=s|m|"" region=... css=... name=... id=...] %}
    rows {% endtable %}"""
    label, *bits = token.split_contents()[1:] or [""]
    if not label:
        raise template.TemplateSyntaxError("{% table %} needs a label")
    columns: list[FilterExpression] = []
    options: dict[str, FilterExpression] = {}
    for bit in bits:
        key, equals, value = bit.partition("=")
        if equals and key in OPTIONS:
            options[key] = parser.compile_filter(value)
        elif equals and not key.startswith(("'", '"')):
            raise template.TemplateSyntaxError(f"{{% table %}} has no option {key!r}")
        else:
            columns.append(parser.compile_filter(bit))
    rows = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(parser.compile_filter(label), columns, options, rows)
