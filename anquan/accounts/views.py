from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anquan.core.errors import ValidationFailed
from anquan.core.forms import bootstrap
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import get_in_scope, restrict

from . import services, tokens
from .choices import RevokeReason
from .forms import PasswordChangeForm, UserCreateForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _require(user, perm):
    if not has_perm(user, perm):
        raise PermissionDenied


@login_required
@remember_filters
def users(request):
    _require(request.user, Perm.USER_MANAGE)
    qs = restrict(User, request.user).select_related("region", "department", "enterprise")
    if request.GET.get("role") in Role.values:
        qs = qs.filter(role=request.GET["role"])
    if request.GET.get("q"):
        qs = qs.filter(username__contains=request.GET["q"]) | qs.filter(full_name__contains=request.GET["q"])
    page = paginate(request, qs.order_by("region_code", "username"), 50)
    return render(request, "accounts/users.html", {"page": page, "roles": Role.choices})


@login_required
def user_create(request):
    _require(request.user, Perm.USER_MANAGE)
    form = bootstrap(UserCreateForm(request.POST or None, initial={"region": request.user.region.code}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                password=data["password"],
                region_code=data["region"] or None,
                department_name=data["department"].name if data["department"] else None,
                enterprise_uscc=data["enterprise"] or None,
                full_name=data["full_name"],
                phone=data["phone"],
                grid_code=data["grid"] or None,
            )
        except ValidationFailed as exc:
            for error in exc.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@require_POST
def user_toggle(request, pk):
    _require(request.user, Perm.USER_MANAGE)
    target = get_in_scope(User, request.user, pk=pk)
    if target.pk == request.user.pk:
        messages.error(request, _("You cannot disable your own account."))
    else:
        services.set_active(target, not target.is_active, actor=request.user)
        messages.success(request, _("Account %(name)s updated.") % {"name": target.username})
    return redirect("accounts:users")


def _tokens_page(request, subject):
    page = paginate(request, tokens.tokens_of(request.user, subject), 50)
    context = {"page": page, "days": tokens.lifetime().days, "subject": subject}
    return render(request, "accounts/tokens.html", context)


def _revoke_one(request, subject, token_id):
    token = tokens.tokens_of(request.user, subject).filter(pk=token_id).first()
    if token is None:
        raise Http404
    tokens.revoke(token, actor=request.user)
    messages.success(request, _("Token revoked."))


def _revoke_all(request, subject):
    reason = RevokeReason.ALL if subject.pk == request.user.pk else RevokeReason.ADMIN
    count = tokens.revoke_all(subject, actor=request.user, reason=reason)
    messages.success(
        request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
    )


@login_required
def my_tokens(request):
    """The signed-in user's API tokens (never their keys) with a revoke button each, and "revoke all"."""
    return _tokens_page(request, request.user)


@login_required
@require_POST
def my_token_revoke(request, pk):
    _revoke_one(request, request.user, pk)
    return redirect("account_tokens")


@login_required
@require_POST
def my_tokens_revoke_all(request):
    _revoke_all(request, request.user)
    return redirect("account_tokens")


def _managed(request, pk) -> User:
    _require(request.user, Perm.USER_MANAGE)
    return tokens.find_user(request.user, pk)


@login_required
def user_tokens(request, pk):
    """An administrator's view of the tokens of a user in their scope (404 outside it)."""
    return _tokens_page(request, _managed(request, pk))


@login_required
@require_POST
def user_token_revoke(request, pk, token_id):
    _revoke_one(request, _managed(request, pk), token_id)
    return redirect("accounts:user_tokens", pk=pk)


@login_required
@require_POST
def user_tokens_revoke_all(request, pk):
    _revoke_all(request, _managed(request, pk))
    return redirect("accounts:user_tokens", pk=pk)


@login_required
def password_change(request):
    """Change your own password; the session stays signed in, every API token of yours is revoked."""
    form = bootstrap(PasswordChangeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(
                request.user,
                form.cleaned_data["new_password"],
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
            )
        except ValidationFailed as exc:
            for error in exc.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Password changed. Your API tokens have been revoked."))
            return redirect("account_tokens")
    return render(request, "accounts/password_change.html", {"form": form})


# --- inspectors' enforcement certificates (执法证) ------------------------------------------------------


@login_required
@remember_filters
def certificates(request):
    """The certificates of the inspectors in scope, valid or not on a day, with the form to add one."""
    from django.utils import timezone

    from .models import EnforcementCertificate

    user = request.user
    qs = restrict(EnforcementCertificate, user).select_related("user", "home_township")
    may_manage = has_perm(user, Perm.CERTIFICATE_MANAGE)
    return render(
        request,
        "accounts/certificates.html",
        {
            "page": paginate(request, qs),
            "today": timezone.localdate(),
            "may_manage": may_manage,
        },
    )


@login_required
def certificate_form(request, pk=None):
    """Add a certificate, or change one (audited)."""
    from anquan.core.errors import Conflict, NotPermitted, form_errors, http_status
    from anquan.core.scope import CHANGE
    from anquan.regions.models import Region

    from . import certificates as certs
    from .models import EnforcementCertificate

    user = request.user
    certificate = get_in_scope(EnforcementCertificate, user, pk=pk) if pk else None  # 404 out of scope
    _require(user, Perm.CERTIFICATE_MANAGE)
    if certificate is not None:
        certificate = get_in_scope(EnforcementCertificate, user, CHANGE, pk=pk)
    values = {f: "" for f in certs.FIELDS}
    if certificate is not None:
        values |= {
            "inspector": certificate.user.username,
            "number": certificate.number,
            "issuing_authority": certificate.issuing_authority,
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "area": certificate.area,
            "home_township": certificate.home_township.code if certificate.home_township else "",
        }
    errors, status = {}, 200
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in certs.FIELDS}
        try:
            certs.save_certificate(values, actor=user, certificate=certificate)
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            errors, status = form_errors(exc), http_status(exc)
        else:
            messages.success(request, _("Enforcement certificate saved."))
            return redirect("accounts:certificates")
    region = user.region
    townships = Region.objects.filter(code__startswith=region.prefix, level=4).order_by("code")[:500]
    return render(
        request,
        "accounts/certificate_form.html",
        {
            "certificate": certificate,
            "values": values,
            "errors": errors,
            "inspectors": certs.inspectors_for(user),
            "townships": townships,
        },
        status=status,
    )
