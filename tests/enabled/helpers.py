"""Small builders so each test states only the tenant data it is about."""

from __future__ import annotations

from decimal import Decimal

from keepitlocal.enabled import Anchor, Override, Project, Tenant, calculate
from keepitlocal.enabled.result import NetworkResult, TenantResult


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def project(*tenants: Tenant, overrides: tuple[Override, ...] = ()) -> Project:
    return Project((Anchor("Test Hub", tuple(tenants), "Calderdale"),), "test", overrides)


def one(tenant: Tenant, *overrides: Override) -> TenantResult:
    result: NetworkResult = calculate(project(tenant, overrides=overrides))
    return result.anchors[0].tenants[0]
