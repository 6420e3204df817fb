"""The admin site for people: the dated links (admissions, enrolments, postings,
teaching assignments, guardianships) are written only through hazri.people.services.

Each add or change form of a link calls its service while the form is validated
(`_post_clean`, the last step of ModelForm validation), so a refusal shows as an
error on the field it names and nothing is written; Django's change view wraps the
whole request in a transaction, so the forms call the services' `.nested` form
(see services._boundary). The links are read-only in the inlines and cannot be
deleted here, but for a guardianship (unlinked through its service).
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from hazri.common.errors import ServiceError
from hazri.org.models import Section
from hazri.people import services
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


class ServiceForm(forms.ModelForm):
    """A model form whose save is a service call, made while the form is validated."""

    by: Any = None  # the signed-in user, set by ServiceAdmin.get_form
    changing: ClassVar[tuple[str, ...]] = ()  # on a change form, the fields a service writes

    def call(self, data: dict[str, Any]) -> Model | None:
        raise NotImplementedError

    def _post_clean(self) -> None:
        # Instead of ModelForm's own (which copies the data onto the instance and
        # validates the model): the service validates and writes, or names the field.
        if self.errors:
            return
        if self.instance.pk is not None and not any(f in self.changed_data for f in self.changing):
            return
        try:
            written = self.call(self.cleaned_data)
        except ServiceError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
            return
        if written is not None:
            self.instance = written  # type: ignore[assignment]


class ServiceAdmin(admin.ModelAdmin):
    add_form: ClassVar[type[ServiceForm] | None] = None
    change_form: ClassVar[type[ServiceForm] | None] = None

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        chosen = self.change_form if obj is not None else self.add_form
        if chosen is not None:
            kwargs["form"] = chosen
            kwargs["fields"] = list(chosen.base_fields)
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, ServiceForm):
            form.by = request.user  # a class made for this request by modelform_factory
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):  # type: ignore[no-untyped-def]
        if obj is None or self.change_form is None:
            return super().get_readonly_fields(request, obj)
        editable = set(self.change_form.base_fields)
        return [f.name for f in self.model._meta.concrete_fields if f.name not in editable]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):  # type: ignore[no-untyped-def]
        form = self.change_form if obj is not None else self.add_form
        if form is None:
            return super().get_fieldsets(request, obj)
        shown = list(self.get_readonly_fields(request, obj)) + list(form.base_fields)
        return [(None, {"fields": shown})]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # the form's service call wrote it (ServiceForm._post_clean)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _section_field(label: str = "Section") -> forms.ModelChoiceField:
    # An id box, not a list of every section in the state.
    return forms.ModelChoiceField(
        queryset=Section.objects.select_related("school", "academic_year"),
        widget=forms.NumberInput,
        label=label,
        help_text="The section's id.",
    )


class EnrolmentInline(ReadOnlyInline):
    model = Enrolment
    fields = ["school", "section", "admission", "origin", "starts_on", "ends_on", "roll_no"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    """A student's own particulars are edited here; their rolls through the services."""

    list_display = ["name", "name_local", "state_id", "gender", "date_of_birth"]
    search_fields = ["name", "name_local", "state_id"]
    inlines = [EnrolmentInline]
    raw_id_fields = ["user"]


class AdmissionAddForm(ServiceForm):
    section = _section_field()
    origin = forms.ChoiceField(choices=Enrolment.Origin.choices, initial=Enrolment.Origin.NEW)
    transfer = forms.BooleanField(
        required=False,
        help_text="The student is on another school's roll: strike them off there the day "
        "before (a transfer).",
    )

    class Meta:
        model = Admission
        fields = ["student", "admission_no", "admitted_on"]
        widgets: ClassVar[dict[str, Any]] = {"student": forms.NumberInput}

    def call(self, data: dict[str, Any]) -> Model:
        if data["transfer"]:
            return services.student_transfer.nested(
                student=data["student"],
                section=data["section"],
                admission_no=data["admission_no"],
                on=data["admitted_on"],
                by=self.by,
            ).admission
        return services.student_admit.nested(
            student=data["student"],
            section=data["section"],
            admission_no=data["admission_no"],
            admitted_on=data["admitted_on"],
            origin=data["origin"],
            by=self.by,
        ).admission


class AdmissionLeaveForm(ServiceForm):
    changing = ("left_on", "leaving_reason")

    class Meta:
        model = Admission
        fields = ["left_on", "leaving_reason"]

    def call(self, data: dict[str, Any]) -> Model | None:
        if self.initial.get("left_on") is not None:
            raise ServiceError("The student has already left.", field="left_on")
        if data["left_on"] is None:
            raise ServiceError("Give the last day on the roll.", field="left_on")
        return services.student_strike_off.nested(
            student=self.instance.student,
            school=self.instance.school,
            last_day=data["left_on"],
            reason=data["leaving_reason"],
            by=self.by,
        )


@admin.register(Admission)
class AdmissionAdmin(ServiceAdmin):
    """Add: admit (or transfer in). Change: strike off, by giving the last day on roll."""

    add_form = AdmissionAddForm
    change_form = AdmissionLeaveForm
    list_display = ["admission_no", "student", "school", "admitted_on", "left_on"]
    search_fields = ["admission_no", "student__name", "school__code"]


class EnrolmentMoveForm(ServiceForm):
    section = _section_field("To section")

    class Meta:
        model = Enrolment
        fields = ["student", "starts_on"]
        widgets: ClassVar[dict[str, Any]] = {"student": forms.NumberInput}
        labels: ClassVar[dict[str, str]] = {"starts_on": "From"}

    def call(self, data: dict[str, Any]) -> Model:
        return services.student_move.nested(
            student=data["student"], section=data["section"], on=data["starts_on"], by=self.by
        )


@admin.register(Enrolment)
class EnrolmentAdmin(ServiceAdmin):
    """Add: move a student on a school's roll to another of its sections."""

    add_form = EnrolmentMoveForm
    list_display = ["student", "section", "school", "origin", "starts_on", "ends_on"]
    list_select_related = ["student", "section", "school"]
    search_fields = ["student__name", "school__code"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


class GuardianshipInline(ReadOnlyInline):
    model = Guardianship
    fields = ["student", "relation"]


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email"]
    search_fields = ["name", "phone"]
    raw_id_fields = ["user"]
    inlines = [GuardianshipInline]


class GuardianshipForm(ServiceForm):
    class Meta:
        model = Guardianship
        fields = ["guardian", "student", "relation"]
        widgets: ClassVar[dict[str, Any]] = {
            "guardian": forms.NumberInput,
            "student": forms.NumberInput,
        }

    def call(self, data: dict[str, Any]) -> Model:
        return services.guardian_link.nested(
            guardian=data["guardian"],
            student=data["student"],
            relation=data["relation"],
            by=self.by,
        )


@admin.register(Guardianship)
class GuardianshipAdmin(ServiceAdmin):
    add_form = GuardianshipForm
    list_display = ["guardian", "student", "relation"]
    search_fields = ["guardian__name", "student__name"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request: HttpRequest, obj: Guardianship) -> None:
        services.guardian_unlink.nested(guardianship=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Guardianship]) -> None:
        for link in queryset:
            services.guardian_unlink.nested(guardianship=link, by=request.user)


class PostingInline(ReadOnlyInline):
    model = Posting
    fields = ["school", "role", "starts_on", "ends_on"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "employee_code", "phone"]
    search_fields = ["name", "employee_code"]
    inlines = [PostingInline]
    raw_id_fields = ["user"]


class PostingAddForm(ServiceForm):
    class Meta:
        model = Posting
        fields = ["staff", "school", "role", "starts_on", "ends_on"]
        widgets: ClassVar[dict[str, Any]] = {
            "staff": forms.NumberInput,
            "school": forms.NumberInput,
        }

    def call(self, data: dict[str, Any]) -> Model:
        return services.staff_post.nested(
            staff=data["staff"],
            school=data["school"],
            role=data["role"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            by=self.by,
        )


def _end_form(model: type[Model], end: Callable[..., Model], name: str) -> type[ServiceForm]:
    """A change form that only ends the link, through `end`."""

    def call(self: ServiceForm, data: dict[str, Any]) -> Model | None:
        if data["ends_on"] is None:
            raise ServiceError("Give the last day.", field="ends_on")
        return end(**{name: self.instance}, ends_on=data["ends_on"], by=self.by)

    meta = type("Meta", (), {"model": model, "fields": ["ends_on"]})
    return type(
        f"{model.__name__}EndForm",
        (ServiceForm,),
        {"Meta": meta, "changing": ("ends_on",), "call": call},
    )


@admin.register(Posting)
class PostingAdmin(ServiceAdmin):
    """Add: post staff to a school. Change: end the posting."""

    add_form = PostingAddForm
    change_form = _end_form(Posting, services.posting_end.nested, "posting")
    list_display = ["staff", "school", "role", "starts_on", "ends_on"]
    list_select_related = ["staff", "school"]
    search_fields = ["staff__name", "staff__employee_code", "school__code"]


class AssignmentAddForm(ServiceForm):
    section = _section_field()

    class Meta:
        model = TeachingAssignment
        fields = ["staff", "subject", "starts_on", "ends_on"]
        widgets: ClassVar[dict[str, Any]] = {
            "staff": forms.NumberInput,
            "subject": forms.NumberInput,
        }

    def call(self, data: dict[str, Any]) -> Model:
        return services.assignment_start.nested(
            staff=data["staff"],
            section=data["section"],
            subject=data["subject"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            by=self.by,
        )


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(ServiceAdmin):
    """Add: assign staff to teach a section (no subject: its class teacher). Change: end it."""

    add_form = AssignmentAddForm
    change_form = _end_form(TeachingAssignment, services.assignment_end.nested, "assignment")
    list_display = ["staff", "section", "subject", "school", "starts_on", "ends_on"]
    search_fields = ["staff__name", "staff__employee_code", "school__code"]
    list_select_related = ["staff", "section", "subject", "school"]
