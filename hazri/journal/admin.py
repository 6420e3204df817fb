"""The admin site for the journal: a state's grading scheme (scale and kinds of work
with their weights) is the superuser's, written through the set-up service; a school's
own scheme is set by its head on the school's journal set-up page."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest

from hazri.journal import rules
from hazri.journal.models import Meeting, Scheme, WorkKind
from hazri.journal.services import setup as services
from hazri.org.models import OrgUnit
from hazri.people.admin import ServiceAdmin, ServiceForm


def _kinds(text: str) -> list[services.KindIn]:
    """One kind a line: code, name, weight (the weight 1 where left out)."""
    kinds = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(",")]
        if len(parts) not in (2, 3):
            raise ValidationError(f"Line {number}: write code, name, weight.")
        try:
            weight = Decimal(parts[2]) if len(parts) == 3 else Decimal(1)
        except InvalidOperation:
            raise ValidationError(f"Line {number}: the weight is not a number.") from None
        kinds.append(services.KindIn(code=parts[0], name=parts[1], weight=weight))
    return kinds


class StateSchemeForm(ServiceForm):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.filter(depth=0), label="State", help_text="A state (a top unit)"
    )
    scale = forms.ChoiceField(choices=[(key, key) for key in rules.SCALES])
    kinds = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One kind of work a line: code, name, weight (test, Unit test, 2)",
    )
    changing = ("scale", "kinds")

    class Meta:
        model = Scheme
        fields = ["unit", "scale"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["kinds"].initial = "\n".join(
                f"{k.code}, {k.name}, {k.weight}"
                for k in WorkKind.objects.filter(scheme=self.instance)
            )

    def clean_kinds(self) -> list[services.KindIn]:
        return _kinds(self.cleaned_data["kinds"])

    def call(self, data: dict[str, Any]) -> Model | None:
        return services.scheme_set(
            unit=data["unit"], scale=data["scale"], kinds=data["kinds"], by=self.by
        )


@admin.register(Scheme)
class SchemeAdmin(ServiceAdmin):
    list_display = ["__str__", "unit", "school", "scale"]
    add_form = StateSchemeForm
    change_form = StateSchemeForm

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("unit", "school")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A school's own scheme is its head's, on the set-up page.
        own = obj is not None and obj.school_id is not None
        return bool(request.user.is_superuser) and not own

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # the form's service call wrote it (ServiceForm._post_clean)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "section", "starts_at", "place"]
    list_select_related = ["school", "section"]
    raw_id_fields = ["school", "section", "created_by"]
    date_hierarchy = "starts_at"
