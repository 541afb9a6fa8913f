from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.customers import services
from visitflow.customers.exports import CUSTOMER_COLUMNS
from visitflow.customers.forms import ContactForm, CustomerFilterForm, CustomerForm
from visitflow.customers.models import Customer
from visitflow.customers.permissions import (
    can_archive_customer,
    can_create_customer,
    can_edit_customer,
    can_list_customers,
    can_restore_customer,
)
from visitflow.customers.selectors import (
    SORTS,
    CustomerFilters,
    city_choices_for_user,
    contact_get_for_user,
    customer_base_qs_for_user,
    customer_get_for_user,
    customer_list_for_user,
    level_choices,
    owner_filter_choices_for_user,
    similar_customers,
)
from visitflow.reports.exports import export_response, requested_format
from visitflow.visits.models import OPEN_REQUEST_STATES, FollowUpState
from visitflow.visits.permissions import can_create_visit

PAGE_SIZE = 25


@login_required
def customer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_list_customers(request.user):
        raise PermissionDenied
    user = request.user
    form = CustomerFilterForm(
        request.GET or None,
        levels=[(lv.code, lv.name) for lv in level_choices()],
        owners=[(u.pk, str(u)) for u in owner_filter_choices_for_user(user)],
        cities=city_choices_for_user(user),
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sort = data.get("sort") or ""
    filters = CustomerFilters(
        q=data.get("q") or "",
        level=data.get("level") or "",
        owner=data.get("owner"),
        city=data.get("city") or "",
        archived=bool(data.get("archived")),
        sort=sort if sort in SORTS else "-updated",
    )
    customers = customer_list_for_user(user, filters)
    if fmt := requested_format(request):
        return export_response(
            rows=customers, columns=CUSTOMER_COLUMNS, fmt=fmt, name=_("Customers")
        )
    paginator = Paginator(customers, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "can_create": can_create_customer(user),
        # A ChoiceField, its choices a list; django-stubs types .fields values as Field.
        "show_owner_filter": len(form.fields["owner"].choices) > 2,  # type: ignore[attr-defined]
    }
    template = "customers/customer_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _similar_names_confirmed(
    request: AuthenticatedHttpRequest, form: CustomerForm, *, customer: Customer | None = None
) -> bool:
    """查重: a new or renamed customer whose name is close to another's needs a yes.

    Exact duplicates are refused by the service; close ones are shown (linked when the
    user may open them) and need the "different company" box ticked.
    """
    name = form.cleaned_data["name"]
    if customer is not None and customer.name.lower() == name.lower():
        return True
    exclude = customer.pk if customer else None
    form.similar = [
        c for c in similar_customers(name, exclude_pk=exclude) if c.name.lower() != name.lower()
    ]
    if not form.similar or form.cleaned_data.get("confirm_similar"):
        return True
    visible = set(
        customer_base_qs_for_user(request.user)
        .filter(pk__in=[c.pk for c in form.similar])
        .values_list("pk", flat=True)
    )
    for other in form.similar:
        other.visible_to_user = other.pk in visible  # type: ignore[attr-defined]
    form.add_error(None, _("A customer with a similar name exists. Is this the same company?"))
    return False


def _render_form(
    request: HttpRequest, form: CustomerForm, *, customer: object = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "customer": customer, "similar": form.similar},
        status=status,
    )


@login_required
def customer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_customer(request.user):
        raise PermissionDenied
    form = CustomerForm(request.POST or None, user=request.user)
    if request.method != "POST":
        return _render_form(request, form)
    if form.is_valid() and _similar_names_confirmed(request, form):
        try:
            customer = services.customer_create(
                actor=request.user,
                primary_contact=form.primary_contact_data(),
                **form.customer_data(),
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Customer “%(name)s” registered.") % {"name": customer})
            return redirect("customers:detail", pk=customer.pk)
    return _render_form(request, form, status=422)


@login_required
def customer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for_user(request.user, pk)
    history = customer.activity.select_related("actor").order_by("-created", "-id")[:50]
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "history": history,
            "visits": customer.visits.select_related("host").order_by("-starts_at")[:10],
            "open_requests": customer.visit_requests.filter(state__in=OPEN_REQUEST_STATES)
            .select_related("owner")
            .order_by("due_date"),
            "follow_ups": customer.follow_ups.filter(state=FollowUpState.OPEN).select_related(
                "owner"
            ),
            "can_register_visit": can_create_visit(request.user)
            and can_edit_customer(request.user, customer),
            "can_edit": can_edit_customer(request.user, customer),
            "can_archive": can_archive_customer(request.user, customer),
            "can_restore": can_restore_customer(request.user, customer),
        },
    )


@login_required
def customer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for_user(request.user, pk)
    if not can_edit_customer(request.user, customer):
        raise PermissionDenied
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    if request.method != "POST":
        return _render_form(request, form, customer=customer)
    # The form writes its values onto the instance; the service compares with the database.
    fresh = customer_get_for_user(request.user, pk)
    if form.is_valid() and _similar_names_confirmed(request, form, customer=fresh):
        try:
            services.customer_update(actor=request.user, customer=fresh, data=form.customer_data())
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", pk=pk)
    return _render_form(request, form, customer=customer, status=422)


@login_required
@require_POST
def customer_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for_user(request.user, pk)
    try:
        services.customer_archive(actor=request.user, customer=customer)
    except ApplicationError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Customer “%(name)s” archived.") % {"name": customer})
    return redirect("customers:list")


@login_required
@require_POST
def customer_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for_user(request.user, pk)
    try:
        services.customer_restore(actor=request.user, customer=customer)
    except ApplicationError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Customer “%(name)s” restored.") % {"name": customer})
    return redirect("customers:detail", pk=pk)


def _contact_form_response(
    request: HttpRequest,
    form: ContactForm,
    customer: object,
    contact: object = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "customers/contact_form.html",
        {"form": form, "customer": customer, "contact": contact},
        status=status,
    )


@login_required
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for_user(request.user, pk)
    if not can_edit_customer(request.user, customer):
        raise PermissionDenied
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=request.user, customer=customer, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Contact added."))
            return redirect("customers:detail", pk=customer.pk)
    status = 422 if request.method == "POST" else 200
    return _contact_form_response(request, form, customer, status=status)


@login_required
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = contact_get_for_user(request.user, pk)
    customer = contact.customer
    if not can_edit_customer(request.user, customer):
        raise PermissionDenied
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        fresh = contact_get_for_user(request.user, pk)
        try:
            services.contact_update(actor=request.user, contact=fresh, data=form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", pk=customer.pk)
    status = 422 if request.method == "POST" else 200
    return _contact_form_response(request, form, customer, contact, status=status)


@login_required
@require_POST
def contact_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = contact_get_for_user(request.user, pk)
    customer = contact.customer
    try:
        services.contact_delete(actor=request.user, contact=contact)
    except ApplicationError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Contact removed."))
    return redirect("customers:detail", pk=customer.pk)
