"""A run stores the engine's progress (step in words, how far 0-100) for the run page's bar."""

from __future__ import annotations

import pytest

from keepitlocal.web.spend import bridge, services

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def test_a_run_records_the_engines_progress(council, make_analysis, monkeypatch, client,
                                            editor):
    seen: list[tuple[str, int | None]] = []
    record = bridge._progress

    def spy(run, text, **fields):
        seen.append((text, fields.get("percent")))
        record(run, text, **fields)

    monkeypatch.setattr(bridge, "_progress", spy)
    monkeypatch.setattr(bridge.time, "monotonic", iter(range(0, 10_000, 5)).__next__)
    analysis = make_analysis(council)
    run = services.run_start(analysis, None)
    run.refresh_from_db()
    percents = [p for _, p in seen if p is not None]
    # files (two ledgers: 25%, 50%), matching, figures, each from the engine's callback
    assert percents[:2] == [25, 50] and percents[-1] == 100
    assert percents == sorted(percents)
    assert any(text.startswith("Matched ") for text, _ in seen)
    assert run.status == "done" and run.percent == 100
    client.force_login(editor)
    from keepitlocal.web.accounts.access import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = council.pk
    session.save()
    answer = client.get(f"/spend/{analysis.pk}/runs/{run.pk}.json").json()
    assert answer["percent"] == 100 and answer["status"] == "done"
