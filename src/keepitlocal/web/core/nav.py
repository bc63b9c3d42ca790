"""The navigation registry: each capability's app adds its entry to the header once it exists.

In the app's AppConfig.ready():

    from keepitlocal.web.core import nav
    nav.register("lm3", "LM3", url_name="lm3:index", order=20,
                 description="The local multiplier of a turnover or one contract.")

Until an app registers, core lists the capability as a placeholder that links to a short
"coming soon" page. A real entry always replaces the placeholder, whatever the order apps load in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str | None
    order: int
    description: str = ""

    @property
    def is_placeholder(self) -> bool:
        return self.url_name is None

    @property
    def url(self) -> str:
        if self.url_name is None:
            return reverse("core:coming_soon", kwargs={"key": self.key})
        return reverse(self.url_name)


_items: dict[str, NavItem] = {}


def register(
    key: str, label: str, url_name: str | None = None, order: int = 100, description: str = ""
) -> NavItem:
    """Add or replace the entry `key`. Without url_name it is a placeholder and never replaces."""
    item = NavItem(key, label, url_name, order, description)
    existing = _items.get(key)
    if item.is_placeholder and existing is not None and not existing.is_placeholder:
        return existing
    if not item.is_placeholder and not description and existing is not None:
        item = NavItem(key, label, url_name, order, existing.description)
    _items[key] = item
    return item


def items() -> list[NavItem]:
    """Every entry, in order."""
    return sorted(_items.values(), key=lambda item: (item.order, item.label))


def get(key: str) -> NavItem | None:
    return _items.get(key)


# The capabilities of DESIGN.md, as placeholders until their apps register.
register("home", "Home", url_name="core:home", order=0)
register("lm3", "LM3", order=20, description=(
    "Measure the local multiplier (LM3) of your organisation's turnover or of one contract, "
    "with surveys of your suppliers."))
register("spend", "Local spend", order=30, description=(
    "Analyse a council's whole ledger by geography: how much is spent in the area, the wider "
    "county and region, and with VCSE organisations and small businesses."))
register("enabled", "Enabled contribution", order=40, description=(
    "Count the jobs and value added that a community anchor enables through the organisations "
    "that rent its space."))
register("framework", "Resilience framework", order=50, description=(
    "Track impact against the seven characteristics of a resilient local economy, and assess a "
    "council against the six principles."))
register("assetmap", "VCSE map", order=60, description=(
    "Map the size, scope, distribution and growth of the local voluntary and community sector."))
