"""Export: an area's roster (the state, a district, … or one school) as a OneRoster 1.2
CSV bundle. Deterministic: the rows sorted by sourcedId, fixed formats, so two exports
of the same data are the same bytes (the zip's entries carry a fixed time too)."""

from collections import defaultdict
from typing import Any

from django.db.models import Q

from hazri.interop.oneroster import spec
from hazri.interop.oneroster.ids import Ids, Kind
from hazri.interop.oneroster.rows import (
    OTHER_STAFF_ROLE,
    SEX,
    STAFF_ROLE,
    Bundle,
    Classes,
    split_name,
)
from hazri.org.models import AcademicYear, OrgUnit, School, Section, Subject
from hazri.people.models import (
    Admission,
    Enrolment,
    Guardian,
    Guardianship,
    Posting,
    Staff,
    Student,
    TeachingAssignment,
)


def export_area(*, unit: OrgUnit | None = None, school: School | None = None) -> dict[str, bytes]:
    """The bundle's files (name: bytes) for a unit's subtree or one school."""
    assert (unit is None) != (school is None)
    if school is not None:
        schools = [school]
        units = list(OrgUnit.objects.filter(pk__in=school.unit.ancestor_ids))
    else:
        assert unit is not None
        schools = list(School.objects.filter(unit_path__startswith=unit.path).order_by("pk"))
        units = list(
            OrgUnit.objects.filter(Q(pk__in=unit.ancestor_ids) | Q(path__startswith=unit.path))
        )
    bundle = _bundle(units, schools, Ids(Kind.values, school_ids=[s.pk for s in schools]))
    return bundle.files(system_code=(school.code if school else unit.code if unit else ""))


def ids_of_schools(schools: list[School]) -> Ids:
    """The sourcedIds our export gives these schools' objects (ids.seen answers an id)."""
    ids = Ids(Kind.values, school_ids=[s.pk for s in schools])
    units = OrgUnit.objects.filter(pk__in={pk for s in schools for pk in s.unit.ancestor_ids})
    _bundle(list(units), schools, ids)
    return ids


def _bundle(units: list[OrgUnit], schools: list[School], ids: Ids) -> Bundle:
    school_ids = [s.pk for s in schools]
    bundle = Bundle()
    org_sid = _orgs(bundle, ids, units, schools)
    school_sid = {s.pk: org_sid[("school", s.pk)] for s in schools}
    school_code = {s.pk: s.code for s in schools}
    classes = _classes(bundle, ids, school_ids, school_sid, school_code)
    _people(bundle, ids, school_ids, school_sid, school_code, classes)
    return bundle


def _orgs(
    bundle: Bundle, ids: Ids, units: list[OrgUnit], schools: list[School]
) -> dict[tuple[str, int], str]:
    sid: dict[tuple[str, int], str] = {}
    for unit in units:
        sid[("unit", unit.pk)] = ids.of(Kind.ORG, unit.pk, f"org-{unit.code}")
    for unit in units:
        kind = unit.kind if unit.kind in spec.ORG_TYPES - {"school"} else f"ext:{unit.kind}"
        bundle.add(
            "orgs.csv",
            sourcedId=sid[("unit", unit.pk)],
            name=unit.name,
            type=kind,
            identifier=unit.code,
            parentSourcedId=sid.get(("unit", unit.parent_id or 0), ""),
            **{"metadata.hazri.nameLocal": unit.name_local},
        )
    for school in schools:
        sid[("school", school.pk)] = ids.of(Kind.SCHOOL, school.pk, f"school-{school.code}")
        bundle.add(
            "orgs.csv",
            sourcedId=sid[("school", school.pk)],
            name=school.name,
            type="school",
            identifier=school.code,
            parentSourcedId=sid[("unit", school.unit_id)],
            **{"metadata.hazri.nameLocal": school.name_local},
        )
    return sid


def _classes(
    bundle: Bundle,
    ids: Ids,
    school_ids: list[int],
    school_sid: dict[int, str],
    school_code: dict[int, str],
) -> Classes:
    sections = list(
        Section.objects.filter(school_id__in=school_ids).values(
            "pk", "school_id", "academic_year_id", "grade", "name"
        )
    )
    years = {
        y.pk: y
        for y in AcademicYear.objects.filter(
            pk__in={s["academic_year_id"] for s in sections}
        ).select_related("unit")
    }
    year_sid = {
        pk: ids.of(Kind.YEAR, pk, f"year-{y.unit.code}-{y.name}") for pk, y in years.items()
    }
    for pk, year in years.items():
        bundle.add(
            "academicSessions.csv",
            sourcedId=year_sid[pk],
            title=year.name,
            type="schoolYear",
            startDate=spec.day_text(year.starts_on),
            endDate=spec.day_text(year.ends_on),
            schoolYear=str(year.ends_on.year),
        )
    grade_courses: set[tuple[int, int, int]] = set()
    found: dict[int, dict[str, Any]] = {}
    for s in sections:
        year = years[s["academic_year_id"]]
        code = school_code[s["school_id"]]
        derived = f"class-{code}-{year.name}-{s['grade']}{s['name']}"
        class_sid = ids.of(Kind.CLASS, s["pk"], derived)
        course_sid = f"course-{code}-{year.name}-{spec.grade_text(s['grade'])}"
        grade_courses.add((s["school_id"], year.pk, s["grade"]))
        found[s["pk"]] = {"sid": class_sid, "grade": s["grade"], "year": year.pk, **s}
        bundle.add(
            "classes.csv",
            sourcedId=class_sid,
            title=f"{s['grade']} {s['name']}",
            grades=spec.grade_text(s["grade"]),
            courseSourcedId=course_sid,
            classCode=f"{s['grade']}-{s['name']}",
            classType="homeroom",
            schoolSourcedId=school_sid[s["school_id"]],
            termSourcedIds=year_sid[year.pk],
        )
    for school_id, year_id, grade in grade_courses:
        year = years[year_id]
        bundle.add(
            "courses.csv",
            sourcedId=f"course-{school_code[school_id]}-{year.name}-{spec.grade_text(grade)}",
            schoolYearSourcedId=year_sid[year_id],
            title=f"Class {grade}",
            courseCode=f"G{spec.grade_text(grade)}",
            grades=spec.grade_text(grade),
            orgSourcedId=school_sid[school_id],
        )
    subjects = {s.pk: s for s in Subject.objects.filter(school_id__in=school_ids)}
    subject_sid = {
        pk: ids.of(Kind.COURSE, pk, f"course-{school_code[s.school_id]}-{s.code}")
        for pk, s in subjects.items()
    }
    for pk, subject in subjects.items():
        bundle.add(
            "courses.csv",
            sourcedId=subject_sid[pk],
            title=subject.name,
            courseCode=subject.code,
            orgSourcedId=school_sid[subject.school_id],
            subjects=subject.name,
        )
    subject_class: dict[tuple[int, int], str] = {}
    pairs = (
        TeachingAssignment.objects.filter(school_id__in=school_ids, subject__isnull=False)
        .values_list("section_id", "subject_id")
        .distinct()
    )
    for section_id, subject_id in pairs:
        section, subject = found[section_id], subjects[subject_id]
        derived = f"{section['sid']}-{subject.code}"
        sid = ids.of(Kind.SUBJECT_CLASS, section_id, derived, part=subject_id)
        subject_class[(section_id, subject_id)] = sid
        bundle.add(
            "classes.csv",
            sourcedId=sid,
            title=f"{section['grade']} {section['name']} {subject.name}",
            grades=spec.grade_text(section["grade"]),
            courseSourcedId=subject_sid[subject_id],
            classCode=f"{section['grade']}-{section['name']}-{subject.code}",
            classType="scheduled",
            schoolSourcedId=school_sid[section["school_id"]],
            termSourcedIds=year_sid[section["year"]],
            subjects=subject.name,
            **{"metadata.hazri.sectionSourcedId": section["sid"]},
        )
    return Classes(
        year_sid=year_sid,
        section=found,
        subject_class=subject_class,
        subject_code={pk: s.code for pk, s in subjects.items()},
    )


def _people(
    bundle: Bundle,
    ids: Ids,
    school_ids: list[int],
    school_sid: dict[int, str],
    school_code: dict[int, str],
    classes: Classes,
) -> None:
    # --- Students: their admissions here (roles) and enrolments (enrollments) --------
    admissions: list[Any] = list(
        Admission.objects.filter(school_id__in=school_ids)
        .values("pk", "school_id", "student_id", "admission_no", "admitted_on", "left_on")
        .order_by("admitted_on", "pk")
    )
    admission_sid: dict[int, str] = {}
    latest_admission: dict[int, dict[str, Any]] = {}
    for a in admissions:
        admission_sid[a["pk"]] = ids.of(
            Kind.ADMISSION, a["pk"], f"role-{school_code[a['school_id']]}-{a['admission_no']}"
        )
        latest_admission[a["student_id"]] = a  # ordered: the last one wins
    # Subqueries, not id lists: a state's 100,000 ids would pass SQLite's parameter limit.
    here = Admission.objects.filter(school_id__in=school_ids).values("student_id")
    students: Any = Student.objects.filter(pk__in=here).values(
        "pk", "state_id", "name", "name_local", "gender", "date_of_birth"
    )
    student_sid: dict[int, str] = {}
    student_rows: dict[int, dict[str, Any]] = {}
    for s in students:
        derived = f"student-{s['state_id']}" if s["state_id"] else f"student-{s['pk']}"
        student_sid[s["pk"]] = ids.of(Kind.STUDENT, s["pk"], derived)
        student_rows[s["pk"]] = s
    enrolments: list[Any] = list(
        Enrolment.objects.filter(school_id__in=school_ids)
        .values(
            "pk",
            "school_id",
            "section_id",
            "student_id",
            "admission__admission_no",
            "origin",
            "starts_on",
            "ends_on",
        )
        .order_by("starts_on", "pk")
    )
    latest_grade: dict[int, int] = {}
    by_section: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for e in enrolments:
        code = school_code[e["school_id"]]
        derived = f"enr-{code}-{e['admission__admission_no']}-{e['starts_on']}"
        sid = ids.of(Kind.ENROLMENT, e["pk"], derived)
        section = classes.section[e["section_id"]]
        latest_grade[e["student_id"]] = section["grade"]
        by_section[e["section_id"]].append((sid, e))
        bundle.add(
            "enrollments.csv",
            sourcedId=sid,
            classSourcedId=section["sid"],
            schoolSourcedId=school_sid[e["school_id"]],
            userSourcedId=student_sid[e["student_id"]],
            role="student",
            primary="false",
            beginDate=spec.day_text(e["starts_on"]),
            endDate=spec.day_text(e["ends_on"]),
            **{"metadata.hazri.origin": e["origin"]},
        )
    for a in admissions:
        latest = latest_admission[a["student_id"]]["pk"] == a["pk"]
        bundle.add(
            "roles.csv",
            sourcedId=admission_sid[a["pk"]],
            userSourcedId=student_sid[a["student_id"]],
            roleType="primary" if latest else "secondary",
            role="student",
            beginDate=spec.day_text(a["admitted_on"]),
            endDate=spec.day_text(a["left_on"]),
            orgSourcedId=school_sid[a["school_id"]],
            **{"metadata.hazri.admissionNo": a["admission_no"]},
        )
    # --- Guardians ------------------------------------------------------------------
    links = list(
        Guardianship.objects.filter(student_id__in=here).values_list(
            "guardian_id", "student_id", "relation"
        )
    )
    guardian_ids = sorted({g for g, _, _ in links})
    guardian_sid = {pk: ids.of(Kind.GUARDIAN, pk, f"guardian-{pk}") for pk in guardian_ids}
    agents: dict[str, list[str]] = defaultdict(list)
    relation: dict[int, str] = {}
    for guardian_id, student_id, rel in sorted(links):
        agents[student_sid[student_id]].append(guardian_sid[guardian_id])
        agents[guardian_sid[guardian_id]].append(student_sid[student_id])
        relation.setdefault(guardian_id, rel)
    for s in student_rows.values():
        sid = student_sid[s["pk"]]
        given, family = split_name(s["name"])
        bundle.add(
            "users.csv",
            sourcedId=sid,
            enabledUser="true",
            username=s["state_id"] or sid,
            givenName=given,
            familyName=family,
            identifier=s["state_id"] or "",
            agentSourcedIds=",".join(sorted(agents[sid])),
            grades=spec.grade_text(latest_grade[s["pk"]]) if s["pk"] in latest_grade else "",
            primaryOrgSourcedId=school_sid[latest_admission[s["pk"]]["school_id"]],
            **{"metadata.hazri.nameLocal": s["name_local"]},
        )
        bundle.add(
            "demographics.csv",
            sourcedId=sid,
            birthDate=spec.day_text(s["date_of_birth"]),
            sex=SEX.get(s["gender"], "unspecified"),
        )
    first_child_school: dict[int, str] = {}
    for guardian_id, student_id, _rel in sorted(links, key=lambda x: student_sid[x[1]]):
        first_child_school.setdefault(
            guardian_id, school_sid[latest_admission[student_id]["school_id"]]
        )
    linked = Guardianship.objects.filter(student_id__in=here).values("guardian_id")
    for g in Guardian.objects.filter(pk__in=linked).values(
        "pk", "name", "name_local", "phone", "email"
    ):
        sid = guardian_sid[g["pk"]]
        given, family = split_name(g["name"])
        rel = relation[g["pk"]]
        bundle.add(
            "users.csv",
            sourcedId=sid,
            enabledUser="true",
            username=sid,
            givenName=given,
            familyName=family,
            email=g["email"],
            phone=g["phone"],
            agentSourcedIds=",".join(sorted(agents[sid])),
            **{"metadata.hazri.nameLocal": g["name_local"], "metadata.hazri.relation": rel},
        )
        bundle.add(
            "roles.csv",
            sourcedId=f"{sid}-role",
            userSourcedId=sid,
            roleType="primary",
            role="guardian" if rel == Guardianship.Relation.OTHER else "parent",
            orgSourcedId=first_child_school[g["pk"]],
        )
    _staff(bundle, ids, school_ids, school_sid, school_code, classes, by_section, student_sid)


def _staff(
    bundle: Bundle,
    ids: Ids,
    school_ids: list[int],
    school_sid: dict[int, str],
    school_code: dict[int, str],
    classes: Classes,
    by_section: dict[int, list[tuple[str, dict[str, Any]]]],
    student_sid: dict[int, str],
) -> None:
    postings: list[Any] = list(
        Posting.objects.filter(school_id__in=school_ids)
        .values(
            "pk", "staff_id", "staff__employee_code", "school_id", "role", "starts_on", "ends_on"
        )
        .order_by("starts_on", "pk")
    )
    latest: dict[int, dict[str, Any]] = {}
    for p in postings:
        latest[p["staff_id"]] = p
    staff_sid: dict[int, str] = {}
    posted = Posting.objects.filter(school_id__in=school_ids).values("staff_id")
    for s in Staff.objects.filter(pk__in=posted).values(
        "pk", "employee_code", "name", "name_local", "gender", "phone"
    ):
        sid = staff_sid[s["pk"]] = ids.of(Kind.STAFF, s["pk"], f"staff-{s['employee_code']}")
        given, family = split_name(s["name"])
        bundle.add(
            "users.csv",
            sourcedId=sid,
            enabledUser="true",
            username=s["employee_code"],
            givenName=given,
            familyName=family,
            identifier=s["employee_code"],
            phone=s["phone"],
            primaryOrgSourcedId=school_sid[latest[s["pk"]]["school_id"]],
            **{"metadata.hazri.nameLocal": s["name_local"]},
        )
        bundle.add("demographics.csv", sourcedId=sid, sex=SEX.get(s["gender"], "unspecified"))
    for p in postings:
        code = f"{p['staff__employee_code']}-{school_code[p['school_id']]}-{p['starts_on']}"
        bundle.add(
            "roles.csv",
            sourcedId=ids.of(Kind.POSTING, p["pk"], f"role-{code}"),
            userSourcedId=staff_sid[p["staff_id"]],
            roleType="primary" if latest[p["staff_id"]]["pk"] == p["pk"] else "secondary",
            role=STAFF_ROLE.get(p["role"], OTHER_STAFF_ROLE),
            beginDate=spec.day_text(p["starts_on"]),
            endDate=spec.day_text(p["ends_on"]),
            orgSourcedId=school_sid[p["school_id"]],
        )
    assignments = TeachingAssignment.objects.filter(school_id__in=school_ids).values(
        "pk",
        "school_id",
        "staff_id",
        "staff__employee_code",
        "section_id",
        "subject_id",
        "starts_on",
        "ends_on",
    )
    for a in assignments:
        section = classes.section[a["section_id"]]
        if a["subject_id"] is None:
            class_sid, what = section["sid"], "class"
        else:
            class_sid = classes.subject_class[(a["section_id"], a["subject_id"])]
            what = classes.subject_code[a["subject_id"]]
        derived = f"asg-{a['staff__employee_code']}-{section['sid']}-{what}-{a['starts_on']}"
        bundle.add(
            "enrollments.csv",
            sourcedId=ids.of(Kind.ASSIGNMENT, a["pk"], derived),
            classSourcedId=class_sid,
            schoolSourcedId=school_sid[a["school_id"]],
            userSourcedId=staff_sid[a["staff_id"]],
            role="teacher",
            primary="true",
            beginDate=spec.day_text(a["starts_on"]),
            endDate=spec.day_text(a["ends_on"]),
        )
    # Students sit in their section's subject classes: enrolments derived from the
    # section's (an import takes them as implied, never as records of their own).
    for (section_id, subject_id), class_sid in classes.subject_class.items():
        code = classes.subject_code[subject_id]
        for sid, e in by_section.get(section_id, []):
            bundle.add(
                "enrollments.csv",
                sourcedId=f"{sid}-{code}",
                classSourcedId=class_sid,
                schoolSourcedId=school_sid[e["school_id"]],
                userSourcedId=student_sid[e["student_id"]],
                role="student",
                primary="false",
                beginDate=spec.day_text(e["starts_on"]),
                endDate=spec.day_text(e["ends_on"]),
            )
