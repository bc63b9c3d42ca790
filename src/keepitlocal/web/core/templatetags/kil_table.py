"""The markup around a table of figures, written once: the scrolling region that keeps a wide
table inside a phone's window, the GOV.UK classes, the caption and the column heads. A page
writes only its rows:

    {% load kil_table %}
    {% table "Spend by tier" "Tier" "Spend" "Share" numeric=2 css="spend-table" name="tiers" %}
      <tr class="govuk-table__row">...</tr>
    {% endtable %}

The first argument is the caption (`caption="m"` for a medium one, `caption="hidden"` for one
read by screen readers only, `caption=""` for none) and names the scrolling region for screen
readers (`region` names it otherwise); a caption that needs more than a value is written in a
`{% caption %}...{% endcaption %}` block among the rows, and a total row in a
`{% foot %}...{% endfoot %}` block (no foot when it writes nothing).

The other arguments head the columns: a list heads one column each item, a head
`|when:condition` only when the condition holds, and the last `numeric` of them (or each head
marked `|numeric`) is right-aligned for numbers. `actions=` adds, when true (e.g.
`actions=request.membership.can_edit`), a last column for the rows' links and buttons, headed
"Actions" (or the text given) for screen readers only. `css` adds classes to the table, `name`
sets its `data-table` and `id` its id; `"Paid by {}"|filled:org` writes a value into a head or
name. As everywhere in a template, values are escaped and strings written in the template are
taken as HTML.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

OPTIONS = ("numeric", "caption", "region", "css", "name", "id", "actions")
CAPTION_CLASS = {"hidden": "govuk-visually-hidden"}


class Numeric(str):
    """A column head marked `|numeric`: its column holds numbers, right-aligned."""

    __slots__ = ()

    def __html__(self) -> str:  # escaped once, when marked
        return str(self)


@register.filter
def numeric(head: Any) -> Numeric:
    return Numeric(conditional_escape(head))


@register.filter
def when(head: Any, condition: Any) -> Any:
    """The head, or no column at all when the condition does not hold."""
    return head if condition else None


@register.filter
def filled(text: str, value: Any) -> str:
    """A value written into a head or name: "Paid by {}"|filled:request.org."""
    return text.format(value)


class TableNode(template.Node):
    def __init__(
        self,
        label: FilterExpression,
        columns: list[FilterExpression],
        options: dict[str, FilterExpression],
        rows: template.NodeList,
        parts: dict[str, template.NodeList],
    ) -> None:
        self.label, self.columns, self.options, self.rows = label, columns, options, rows
        self.caption, self.foot = parts.get("caption"), parts.get("foot")

    def render(self, context: template.Context) -> SafeString:
        label = self.label.resolve(context)
        option = {k: v.resolve(context) for k, v in self.options.items()}
        columns = [
            text
            for value in (c.resolve(context) for c in self.columns)
            for text in (value if isinstance(value, list | tuple) else [value])
            if text is not None
        ]
        numeric_end = len(columns)
        numeric = numeric_end - int(option.get("numeric") or 0)
        actions = option.get("actions")
        if actions:
            columns.append(format_html(
                '<span class="govuk-visually-hidden">{}</span>',
                actions if isinstance(actions, str) else "Actions",
            ))
        caption = option.get("caption", "s")
        foot = self.foot.render(context) if self.foot else ""
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
                (
                    " govuk-table__header--numeric"
                    if numeric <= i < numeric_end or isinstance(text, Numeric)
                    else "",
                    text,
                )
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
            "{}"
            "</table>\n"
            "</div>",
            option.get("region") or label,
            css,
            attributes,
            format_html(
                '  <caption class="govuk-table__caption {}">{}</caption>\n',
                CAPTION_CLASS.get(caption, f"govuk-table__caption--{caption}"),
                self.caption.render(context) if self.caption is not None else label,
            )
            if caption
            else "",
            head,
            self.rows.render(context),
            format_html("  <tfoot>{}</tfoot>\n", foot) if foot.strip() else "",
        )


@register.tag("table")
def table(parser: Parser, token: Token) -> TableNode:
    """{% table caption column... [numeric=N caption=s|m|hidden|"" region=... actions=... css=...
    name=... id=...] %} rows [{% caption %}text{% endcaption %}] [{% foot %}rows{% endfoot %}]
    {% endtable %}"""
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
    rows = template.NodeList()
    parts: dict[str, template.NodeList] = {}
    while True:
        rows.extend(parser.parse(("caption", "foot", "endtable")))
        part = parser.next_token().contents
        if part == "endtable":
            break
        parts[part] = parser.parse((f"end{part}",))
        parser.delete_first_token()
    return TableNode(parser.compile_filter(label), columns, options, rows, parts)


@register.filter
def each(items: Any, attribute: str) -> list[Any]:
    """One head per item, its `attribute`: view.submitted|each:"name"."""
    return [getattr(item, attribute) for item in items]
