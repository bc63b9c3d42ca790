"""The use classes tenants name since September 2020 are read by the engine as the pre-2020
class whose density applies, exactly as the documented table says."""

from __future__ import annotations

import pytest

from keepitlocal.enabled import project_from_dict
from keepitlocal.enabled.activity import normalise_use_class
from keepitlocal.enabled.reference import load_reference, use_classes_2020


def test_every_2020_class_maps_to_the_class_the_table_names() -> None:
    ref = load_reference()
    codes = [code for code, _, _ in use_classes_2020()]
    assert {"E(a)", "E(b)", "E(g)(i)", "E(g)(iii)", "F1", "F2", "Sui generis"} <= set(codes)
    for code, _, use_class in use_classes_2020():
        assert use_class in ref.use_classes, code
        assert normalise_use_class(code, ref) == use_class, code


@pytest.mark.parametrize(("code", "density"), [("E(g)(i)", "12"), ("E(g)(iii)", "47"),
                                               ("e(a)", "17.5"), ("E(b)", "17.5")])
def test_a_2020_class_with_floorspace_gives_jobs(code: str, density: str) -> None:
    ref = load_reference()
    assert str(ref.densities[normalise_use_class(code, ref)].value) == density
    project = project_from_dict({"anchors": [{"name": "a", "tenants": [
        {"name": "t", "use_class": code, "floorspace_m2": "470", "area_basis": "NIA"}]}]})
    assert project.anchors[0].tenants[0].use_class == code
