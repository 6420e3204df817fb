"""How a school grades (the nearest scheme up the tree) and which term a day is in."""

import datetime as dt
from dataclasses import dataclass

from hazri.common.errors import Invalid
from hazri.journal import rules
from hazri.journal.models import Scheme, Term, WorkKind
from hazri.org.models import School


@dataclass(frozen=True)
class Grading:
    scheme: Scheme
    scale: rules.Scale
    kinds: dict[int, WorkKind]  # by id


def grading_for(school: School) -> Grading:
    """The school's own scheme, else its unit's or the nearest ancestor's."""
    ancestors = [int(part) for part in school.unit_path.strip("/").split("/") if part]
    schemes = {
        (s.school_id, s.unit_id): s
        for s in Scheme.objects.filter(school=school) | Scheme.objects.filter(unit_id__in=ancestors)
    }
    found = schemes.get((school.pk, None)) or next(
        (schemes[(None, unit)] for unit in reversed(ancestors) if (None, unit) in schemes), None
    )
    if found is None:
        raise Invalid(
            "No grading scheme is set for this school or its state.",
            field="school",
            code="no_scheme",
        )
    kinds = {kind.pk: kind for kind in WorkKind.objects.filter(scheme=found)}
    return Grading(scheme=found, scale=rules.SCALES[found.scale], kinds=kinds)


def term_on(school: School, day: dt.date) -> Term:
    term = Term.objects.filter(school=school, starts_on__lte=day, ends_on__gte=day).first()
    if term is None:
        raise Invalid(f"{day} is in no term of this school.", field="day", code="no_term")
    return term
