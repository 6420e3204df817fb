"""The batch-friendly access reads answer exactly as the one-at-a-time ones."""

from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.common.errors import Forbidden, NotFound
from hazri.org.models import Section
from hazri.testing.world import PASSWORD


def test_sections_visible_agrees_with_section_visible(world) -> None:
    sections = list(Section.objects.all())
    for user in (world.ravi, world.asha, world.suresh, world.meera, world.imran):
        expected = set()
        for section in sections:
            try:
                access.section_visible(user, section.pk)
                expected.add(section.pk)
            except NotFound:
                pass
        visible = access.sections_visible(user, [s.pk for s in sections] + [10**9])
        assert set(visible) == expected, user.username
        assert all(s.school.pk and s.academic_year.pk for s in visible.values())


def test_marker_roles_from_loaded_postings_agree(world) -> None:
    today = timezone.localdate()
    for user in (world.ravi, world.asha, world.suresh, world.meera):
        postings = access.postings_of(user)
        for school in (world.school, world.other_school):
            assert access.posting_role(user, school, today, postings=postings) == (
                access.posting_role(user, school, today)
            )
    try:
        access.require_marker(world.meera, world.school, today, postings=[])
    except Forbidden as refused:
        assert refused.code == "not_marker"
    else:
        raise AssertionError("an officer does not mark attendance")


def test_me_lists_a_parents_children_with_school_and_section(world, client) -> None:
    assert client.login(username="imran", password=PASSWORD)
    body = client.get("/api/v1/me").json()
    zoya = world.students[1]
    assert body["schools"] == [] and body["officer_of"] == []
    assert body["children"] == [
        {
            "id": zoya.pk,
            "name": "Zoya Khan",
            "name_local": "ज़ोया ख़ान",
            "relation": "child",
            "school": world.school.pk,
            "school_name": "GPS Rampur",
            "section": world.section.pk,
            "section_label": "5 A",
        }
    ]
    assert client.login(username="ravi", password=PASSWORD)
    assert client.get("/api/v1/me").json()["children"] == []
