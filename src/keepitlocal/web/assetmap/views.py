"""VCSE asset map pages: the maps of the organisation, one map (summary, map, table, files,
build), an organisation, and downloads. Everything is fetched through the current organisation
(`for_org`), so another organisation's map by URL is "Page not found"; viewers read only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from keepitlocal.geo.names import lad_name
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.assetmap import exports, selectors, services, tasks
from keepitlocal.web.assetmap.forms import FilterForm, MapCreateForm, UploadForm
from keepitlocal.web.assetmap.models import SourceKind
from keepitlocal.web.core.http import XLSX, OrgRequest, download, posted
from keepitlocal.web.core.pdf import render_pdf
from keepitlocal.web.core.uploads import UploadError

PER_PAGE = 100  # table rows per page; the map shows every filtered organisation


@org_required()
def index(request: OrgRequest) -> HttpResponse:
    form = MapCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        asset_map = services.map_create(request.org, form.cleaned_data["name"],
                                        form.cleaned_data["council"],
                                        form.cleaned_data["choice"])
        messages.success(request, f"Map “{asset_map.name}” started: build it from the "
                                  "registers loaded on this server, or add register files.")
        return redirect("assetmap:map", pk=asset_map.pk)
    maps = selectors.map_list(request.org)
    return render(request, "assetmap/index.html", {"maps": maps, "form": form})


def _context(request: OrgRequest, pk: int) -> dict[str, Any]:
    asset_map = selectors.map_get(request.org, pk)
    run = asset_map.latest_run
    done = asset_map.latest_done
    return {"asset_map": asset_map, "run": run, "done": done,
            "document": done.document if done else {},
            "council_name": asset_map.area_name or lad_name(asset_map.council_code)
            or asset_map.council_code}


@org_required()
def detail(request: OrgRequest, pk: int) -> HttpResponse:
    context = _context(request, pk)
    document = context["document"]
    filters = selectors.clean_filters(request.GET, document)
    summary = document.get("views", {}).get(filters.view, {})
    form = FilterForm(request.GET or None, summary=summary,
                      initial={"view": filters.view})
    rows = selectors.organisations(document, filters) if document else []
    spend = selectors.council_spend(request.org) if document else {}
    pages = Paginator(rows, PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    table = [{**row, "spend": selectors.spend_of(row, spend)} for row in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()

    def url_of(key: str) -> str:
        return reverse("assetmap:organisation", kwargs={"pk": pk, "key": key})

    context.update({
        "filters": filters, "form": form, "summary": summary, "rows": table,
        "row_count": len(rows), "page": page, "query": query,
        "points": selectors.map_points(rows, url_of),
        "outlines": selectors.shaded_outlines(document) if document else None,
        "shades": selectors.shade_legend(),
        "tile_url": getattr(settings, "KEEPITLOCAL_MAP_TILE_URL", ""),
        "files": list(context["asset_map"].files.all()),
        "filtered": any([filters.band, filters.activity, filters.decile]),
    })
    return render(request, "assetmap/map.html", context)


@org_required()
def upload(request: OrgRequest, pk: int) -> HttpResponse:
    asset_map = selectors.map_get(request.org, pk)
    form = UploadForm(posted(request), request.FILES or None)
    row_problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        kind, upload_file = form.cleaned_data["kind"], form.cleaned_data["file"]
        try:
            if kind == SourceKind.DIRECTORY:
                row_problems = services.directory_check(upload_file, form.mapping())
                upload_file.seek(0)
        except UploadError as refused:
            for problem in refused.problems:
                form.add_error("file", str(problem))
        else:
            row = services.file_add(asset_map, kind, upload_file, request.user, form.mapping())
            messages.success(request, f"{row.original_name} added.")
            if row_problems:
                shown = "; ".join(row_problems[:3])
                more = f"; and {len(row_problems) - 3:,} more" if len(row_problems) > 3 else ""
                messages.warning(request, f"Some rows were left out: {shown}{more}. Correct "
                                          "the file and upload it again to include them.")
            return redirect("assetmap:map", pk=pk)
    return render(request, "assetmap/upload.html", {"asset_map": asset_map, "form": form})


@org_required()
@require_POST
def file_delete(request: OrgRequest, pk: int, file_pk: int) -> HttpResponse:
    asset_map = selectors.map_get(request.org, pk)
    row = selectors.file_get(asset_map, file_pk)
    services.file_delete(row)
    messages.success(request, f"{row.original_name} removed.")
    return redirect("assetmap:map", pk=pk)


@org_required()
@require_POST
def build(request: OrgRequest, pk: int) -> HttpResponse:
    asset_map = selectors.map_get(request.org, pk)
    run = asset_map.latest_run
    if run is None or not run.is_active:
        run = services.build_create(asset_map)
        tasks.build_asset_map.enqueue(run.pk)
    return redirect("assetmap:map", pk=pk)


@org_required()
def organisation(request: OrgRequest, pk: int, key: str) -> HttpResponse:
    context = _context(request, pk)
    row = selectors.organisation(context["document"], key)
    if row is None:
        raise Http404("No such organisation in this map.")
    context.update({"org_row": row,
                    "spend": selectors.spend_of(row, selectors.council_spend(request.org))})
    return render(request, "assetmap/organisation.html", context)


@org_required()
def export(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    context = _context(request, pk)
    document = context["document"]
    if not document:
        raise Http404("The map has not been built yet.")
    filters = selectors.clean_filters(request.GET, document)
    rows = selectors.organisations(document, filters)
    name = slugify(context["asset_map"].name) or "asset-map"
    if fmt == "csv":
        return download(exports.organisations_csv(rows), f"{name}.csv",
                        "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return download(exports.workbook(document, rows), f"{name}.xlsx", XLSX)
    if fmt == "pdf":
        context.update({"views": document["views"], "filters": filters})
        return download(render_pdf("assetmap/report_pdf.html", context), f"{name}.pdf",
                        "application/pdf")
    raise Http404("Unknown download.")


