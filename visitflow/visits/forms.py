from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.core.forms import ServiceModelForm
from visitflow.core.validators import normalize_phone
from visitflow.customers.models import Contact, Customer
from visitflow.customers.selectors import customer_base_qs_for_user
from visitflow.visits.models import (
    FollowUpChannel,
    Purpose,
    RequestState,
    TravelLeg,
    Visit,
    Visitor,
    VisitOutcome,
    VisitStatus,
)
from visitflow.visits.selectors import host_choices_for_user

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class CustomerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Customer) -> str:
        return obj.name


class VisitForm(ServiceModelForm):
    """Register or edit a visit: the pre-visit briefing (SOP 5.1 接待前沟通)."""

    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.DateTimeField(
        label=_("Expected arrival"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Expected departure"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    reschedule_reason = forms.CharField(
        label=_("Why the dates change"), max_length=300, required=False
    )

    class Meta:
        model = Visit
        fields = [
            "customer",
            "host",
            "co_hosts",
            "purposes",
            "purpose_notes",
            "importance",
            "starts_at",
            "ends_at",
            "wants_pickup",
            "wants_dropoff",
            "wants_lodging",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        hosts = host_choices_for_user(user)
        self.fields["host"] = PersonChoiceField(
            label=_("Host"),
            queryset=hosts,
            required=False,
            help_text=_("Empty: the customer's owner."),
        )
        self.fields["co_hosts"] = PeopleChoiceField(
            label=_("Co-hosts"),
            queryset=hosts,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        if self.instance.pk:
            del self.fields["customer"]
        else:
            del self.fields["reschedule_reason"]
            self.fields["customer"] = CustomerChoiceField(
                label=_("Customer"),
                queryset=customer_base_qs_for_user(user).order_by("name"),
            )

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The departure must be after the arrival."))
        return data


class PagePartForm:
    """Several small forms share the visit page: each gets its own id prefix, so that
    labels point at the right field (two "title" fields would otherwise share an id)."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class VisitorForm(PagePartForm, ServiceModelForm):
    id_prefix = "visitor"

    save_as_contact = forms.BooleanField(
        label=_("Also save as a contact of the customer"), required=False
    )

    class Meta:
        model = Visitor
        fields = ["contact", "name", "gender", "title", "mobile", "features"]

    def __init__(self, *args: Any, visit: Visit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = cast(forms.ModelChoiceField, self.fields["contact"])
        contact.label = _("A known contact")
        contact.empty_label = _("Someone new")
        contact.queryset = visit.customer.contacts.all() if visit else Contact.objects.none()
        # A known contact brings their name, title, phone and 特征 along.
        self.fields["name"].required = False

    def clean_mobile(self) -> str:
        return normalize_phone(self.cleaned_data.get("mobile", ""))

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        if not data.get("contact") and not data.get("name"):
            self.add_error("name", _("Name the visitor or choose a contact."))
        return data


class LegForm(PagePartForm, ServiceModelForm):
    id_prefix = "leg"

    departs_at = forms.DateTimeField(
        label=_("Scheduled departure"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        required=False,
    )
    arrives_at = forms.DateTimeField(
        label=_("Scheduled arrival"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    actual_arrival = forms.DateTimeField(
        label=_("Actual arrival"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        required=False,
    )

    class Meta:
        model = TravelLeg
        fields = [
            "direction",
            "mode",
            "number",
            "from_place",
            "to_place",
            "departs_at",
            "arrives_at",
            "actual_arrival",
        ]

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        departs, arrives = data.get("departs_at"), data.get("arrives_at")
        if departs and arrives and arrives <= departs:
            self.add_error("arrives_at", _("The arrival must be after the departure."))
        return data


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CancelForm(PagePartForm, forms.Form):
    id_prefix = "cancel"

    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class RequestForm(PagePartForm, forms.Form):
    id_prefix = "request"

    title = forms.CharField(label=_("Request"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    details = forms.CharField(
        label=_("Details"), max_length=3000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = host_choices_for_user(user)


class RequestStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=RequestState.choices)
    resolution = forms.CharField(label=_("Outcome"), max_length=500, required=False)


RATING_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(1, 6)]


class ReturnCallForm(PagePartForm, forms.Form):
    id_prefix = "call"

    reached = forms.TypedChoiceField(
        label=_("Reached the customer?"),
        choices=[("1", _("Yes")), ("0", _("No, call again"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    product_rating = forms.TypedChoiceField(
        label=_("Products (1-5)"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    product_feedback = forms.CharField(
        label=_("Feedback on the products"),
        max_length=3000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    image_rating = forms.TypedChoiceField(
        label=_("Company image (1-5)"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    image_feedback = forms.CharField(
        label=_("Feedback on the company's image"),
        max_length=3000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    suggestions = forms.CharField(
        label=_("Suggestions"), max_length=3000, required=False, widget=forms.Textarea({"rows": 2})
    )


class FollowUpLogForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=FollowUpChannel.choices)
    notes = forms.CharField(label=_("Notes"), max_length=3000, widget=forms.Textarea({"rows": 3}))
    next_date = forms.DateField(
        label=_("Next follow-up"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Empty: by the customer level's cadence."),
    )


class VisitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All states")), *VisitStatus.choices]
    )
    period = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("today", _("Today")),
            ("upcoming", _("Upcoming")),
            ("past", _("Past")),
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[
            ("", _("Any outcome")),
            *VisitOutcome.choices[1:],
            ("none", _("Not recorded")),
        ],
    )

    # From the dashboard's links (issue 9); described in the list's banner, not shown.
    step = forms.SlugField(required=False, max_length=40)
    step_outcome = forms.ChoiceField(
        required=False,
        choices=[
            ("", ""),
            ("on_time", _("done on time")),
            ("late", _("done late")),
            ("skipped", _("skipped")),
            ("overdue", _("overdue")),
            ("day_on_time", _("done within the due day")),
            ("day_late", _("done after the due day")),
            ("day_overdue", _("overdue")),
        ],
    )
    came = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("status", "period", "outcome"):
            self.fields[name].widget.attrs["class"] = "form-select"


class OutcomeForm(PagePartForm, forms.Form):
    """What came of the visit (issues 7, 9); the amount is checked by the service."""

    id_prefix = "outcome"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "---------"), *VisitOutcome.choices[1:]],
    )
    amount = forms.DecimalField(
        label=_("Deal amount (CNY)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea({"rows": 2})
    )
