"""Enabled Contribution: the jobs and GVA a community anchor enables through its tenants.

After seed 001 Appendix 2 (NEF Consulting for Locality). Use:

    project = read_project("anchors.json")   # or .xlsx; InputError lists every problem
    result = calculate(project)              # NetworkResult: tenants, anchors, network
    document = result_to_dict(result)        # what `keepitlocal enabled calc --json` prints
"""

from keepitlocal.enabled.engine import calculate
from keepitlocal.enabled.io import read_demo, read_project, write_template
from keepitlocal.enabled.model import Anchor, Override, Project, Tenant
from keepitlocal.enabled.parse import project_from_dict
from keepitlocal.enabled.present import render_text, result_to_dict
from keepitlocal.enabled.reference import load_reference
from keepitlocal.enabled.result import AnchorResult, Figure, NetworkResult, TenantResult, Total

__all__ = [
    "Anchor",
    "AnchorResult",
    "Figure",
    "NetworkResult",
    "Override",
    "Project",
    "Tenant",
    "TenantResult",
    "Total",
    "calculate",
    "load_reference",
    "project_from_dict",
    "read_demo",
    "read_project",
    "render_text",
    "result_to_dict",
    "write_template",
]
