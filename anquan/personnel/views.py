"""Pages of the key-post personnel: the list (per enterprise or region; filters post, certificate state, enterprise,
region), a person with certificates and trainings, the add and edit forms (field-level Chinese errors), the
certificates list the reminders point to. Enterprise managers change their own enterprise's people; departments
and offices read their scope."""

from __future__ import annotations

import datetime as dt

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.paging import paginate
from anquan.core.scope import CHANGE, get_in_scope, restrict, role_may
from anquan.enterprises.models import Enterprise

from . import filters, forms, services
from .choices import STATE_COLOURS, CertificateState, Post
from .models import Certificate, Person
from .retraining import flagged
from .validity import RuleBook, Standing, standing


def _may_change(request: AuthedRequest) -> bool:
    return role_may(request.user, Person, CHANGE) and bool(request.user.enterprise_id)


def _fail(form: django_forms.Form, exc: ValidationFailed | NotPermitted) -> None:
    for name, message in _errors(exc).items():
        form.add_error(name if name in form.fields else None, message)


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    get = request.GET
    qs = filters.people(
        request.user,
        enterprise=get.get("enterprise", ""),
        region=get.get("region", ""),
        post=get.get("post", ""),
        state=get.get("state", ""),
    )
    page = paginate(request, qs)
    flags = flagged(Person.objects.filter(pk__in=[p.pk for p in page.object_list]))
    rows = [(p, flags.get(p.pk)) for p in page.object_list]
    return render(
        request,
        "personnel/list.html",
        {
            "page": page,
            "rows": rows,
            "posts": Post.choices,
            "states": CertificateState.choices,
            "may_change": _may_change(request),
        },
    )


def _person_form_data(
    request: AuthedRequest, form: forms.PersonForm, enterprise: Enterprise
) -> services.PersonInput:
    d = form.cleaned_data
    return services.PersonInput(
        enterprise=enterprise,
        name=d["name"],
        id_number=d.get("id_number") or "",
        posts=list(d["posts"]),
        hired_on=d.get("hired_on"),
        left_on=d.get("left_on"),
        phone=d.get("phone") or "",
    )


@login_required
def person_new(request: AuthedRequest) -> HttpResponse:
    own = request.user.enterprise
    if not _may_change(request) or own is None:
        raise Http404
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.save_person(request.user, _person_form_data(request, form, own))
        except (ValidationFailed, NotPermitted) as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The person has been registered."))
            return redirect("personnel:detail", pk=person.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "personnel/form.html", {"form": form, "person": None}, status=status)


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, CHANGE, pk=pk)
    initial = {
        "name": person.name,
        "posts": person.posts,
        "hired_on": person.hired_on,
        "left_on": person.left_on,
        "phone": person.phone,
    }
    form = forms.PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_person(request.user, _person_form_data(request, form, person.enterprise), person)
        except (ValidationFailed, NotPermitted) as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The person has been saved."))
            return redirect("personnel:detail", pk=person.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "personnel/form.html", {"form": form, "person": person}, status=status)


def _certificate_rows(person: Person, today: dt.date) -> list[tuple[Certificate, Standing, str]]:
    book = RuleBook()
    region = person.enterprise.region_code
    rows = []
    for cert in person.certificates.all():
        now = standing(cert, today, book, region)
        rows.append((cert, now, STATE_COLOURS[now.state]))
    return rows


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, pk=pk)
    today = timezone.localdate()
    may_change = _may_change(request)
    jobs = services.catalogue_jobs(RuleBook(), today, person.enterprise.region_code)
    return render(
        request,
        "personnel/detail.html",
        {
            "person": person,
            "id_number": services.reveal_id(person, request.user),
            "certificates": _certificate_rows(person, today),
            "trainings": person.trainings.all(),
            "accident": flagged(Person.objects.filter(pk=person.pk)).get(person.pk),
            "may_change": may_change,
            "certificate_form": forms.CertificateForm(jobs=jobs),
            "training_form": forms.TrainingForm(),
            "review_form": forms.ReviewForm(),
        },
    )


@login_required
def certificate_new(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, CHANGE, pk=pk)
    jobs = services.catalogue_jobs(RuleBook(), timezone.localdate(), person.enterprise.region_code)
    form = forms.CertificateForm(request.POST or None, jobs=jobs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.CertificateInput(
            kind=d["kind"],
            number=d["number"],
            issuing_authority=d["issuing_authority"],
            issued_on=d["issued_on"],
            expires_on=d["expires_on"],
            job_code=d.get("job_code") or "",
            review_extended=d.get("review_extended") or False,
        )
        try:
            services.add_certificate(request.user, person, data)
        except (ValidationFailed, NotPermitted) as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The certificate has been registered."))
            return redirect("personnel:detail", pk=person.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "personnel/certificate_form.html", {"form": form, "person": person}, status=status)


@login_required
def certificate_review(request: AuthedRequest, pk: int, cert: int) -> HttpResponse:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, CHANGE, pk=pk)
    certificate = get_in_scope(Certificate, request.user, CHANGE, pk=cert, person=person)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(request.user, certificate, form.cleaned_data["reviewed_on"])
        except (ValidationFailed, NotPermitted) as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The certificate review has been recorded."))
            return redirect("personnel:detail", pk=person.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "personnel/review_form.html",
        {"form": form, "person": person, "certificate": certificate},
        status=status,
    )


@login_required
def training_new(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, CHANGE, pk=pk)
    form = forms.TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.TrainingInput(
            course=d["course"],
            kind=d["kind"],
            hours=d["hours"],
            held_on=d["held_on"],
            result=d["result"],
            provider=d.get("provider") or "",
        )
        try:
            services.add_training(request.user, person, data)
        except (ValidationFailed, NotPermitted) as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("The training record has been registered."))
            return redirect("personnel:detail", pk=person.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "personnel/training_form.html", {"form": form, "person": person}, status=status)


@login_required
def certificate_list(request: AuthedRequest) -> HttpResponse:
    """The certificates in scope; `?due=soon|overdue` are the to-do centre's reminders."""
    today = timezone.localdate()
    qs = (
        restrict(Certificate, request.user)
        .select_related("person__enterprise")
        .filter(person__left_on__isnull=True)
    )
    due = request.GET.get("due", "")
    if due == "overdue":
        qs = qs.filter(next_due_on__lt=today)
    elif due == "soon":
        qs = qs.filter(remind_from__lte=today, next_due_on__gte=today)
    page = paginate(request, qs.order_by("next_due_on", "id"))
    book = RuleBook()
    rows = []
    for cert in page.object_list:
        now = standing(cert, today, book, cert.person.enterprise.region_code)
        rows.append((cert, now, STATE_COLOURS[now.state]))
    return render(request, "personnel/certificates.html", {"page": page, "rows": rows, "due": due})
