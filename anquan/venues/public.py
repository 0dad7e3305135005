"""The public page a venue's QR code opens (`/v/<public_code>/`, no account, phone-first): the venue's name,
kind, last check, a link to report a hazard there, and the owner's monthly self-check behind the venue's PIN.

Throttled twice (docs/adr/0032-venue-public-code-and-pin.md): every address may ask `RATE` pages a minute and
post `POST_RATE` self-checks a minute (the platform's per-address throttle, `core.public`, like the public
draws); and a venue's self-check locks for 15 minutes after 5 wrong PINs in a row (services.check_pin)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from anquan.core.errors import ValidationFailed, form_errors
from anquan.core.public import PublicThrottle, refused

from . import services
from .checklist import items_of, version_for
from .models import SmallVenue

RATE = "60/min"
POST_RATE = "10/min"
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _pages() -> PublicThrottle:
    return PublicThrottle("public-venue", RATE)


def _self_checks() -> PublicThrottle:
    return PublicThrottle("public-venue-self-check", POST_RATE)


def venue_by_code(code: str) -> SmallVenue:
    if not 8 <= len(code) <= 16 or not set(code) <= CODE_CHARS:
        raise Http404
    venue = SmallVenue.objects.select_related("region").filter(public_code=code).first()
    if venue is None:
        raise Http404
    return venue


@csrf_protect
@require_http_methods(["GET", "POST"])
def public_venue(request: HttpRequest, code: str) -> HttpResponse:
    if (too_many := refused(request, _pages())) is not None:
        return too_many
    venue = venue_by_code(code)
    today = timezone.localdate()
    version = version_for(today, venue.region_code)
    items = items_of(version, venue.kind)
    errors: dict[str, str] = {}
    answers: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if (too_many := refused(request, _self_checks())) is not None:
            return too_many
        answers = {i.code: request.POST.get(f"item_{i.code}", "") for i in items}
        try:
            _check, replaced = services.self_check(
                venue, pin=request.POST.get("pin", "").strip(), answers=answers, on=today
            )
        except services.PinRefused as exc:
            errors, status = {"pin": exc.message}, 403
        except ValidationFailed as exc:
            errors, status = form_errors(exc), 422
        else:
            return redirect(f"{request.path}?done={'updated' if replaced else 'new'}#self-check")
    done = request.GET.get("done") if request.GET.get("done") in ("new", "updated") else None
    month = today.strftime("%Y-%m")
    this_month = venue.checks.filter(month=month, source="self_check").first()
    context = {
        "v": venue,
        "rows": [(i, answers.get(i.code, "")) for i in items],
        "version": version,
        "errors": errors,
        "answers": answers,
        "done": done,
        "this_month": this_month,
        "tip_off_url": f"/public/tip-offs/new/?venue={venue.public_code}",
    }
    response = render(request, "venues/public.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
