"""Root host: "Daftarkan daerah Anda" (application, verification, live provisioning progress)."""

from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from eoffice.core.errors import ApplicationError
from tenants import selectors
from tenants.forms import RegistrationForm
from tenants.models import Registration, Tenant
from tenants.onboarding import registration_create, registration_login_token, registration_verify
from tenants.services import tenant_host

_SESSION_KEY = "registrations"


def landing(request: HttpRequest) -> HttpResponse:
    tenant_count = Tenant.objects.exclude(schema_name="public").filter(status=Tenant.Status.ACTIVE).count()
    return render(request, "tenants/landing.html", {"tenant_count": tenant_count})


@require_http_methods(["GET", "POST"])
def onboarding_start(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration_create(
                    wilayah_kode=form.wilayah_kode(),
                    nama_pemohon=form.cleaned_data["nama_pemohon"],
                    jabatan_pemohon=form.cleaned_data["jabatan_pemohon"],
                    email=form.cleaned_data["email"],
                    email_konfirmasi=form.cleaned_data["email_konfirmasi"],
                    telepon=form.cleaned_data["telepon"],
                    subdomain=form.cleaned_data["subdomain"],
                    terms_accepted=form.cleaned_data["terms"],
                    config_template_id=form.cleaned_data["config_template"],
                    verify_url=lambda token: request.build_absolute_uri(
                        reverse("onboarding-verify", args=[token])
                    ),
                )
            except ApplicationError as error:
                error.add_to_form(form)
                status = error.status
            else:
                return redirect("onboarding-sent")
        else:
            status = 400
    return render(
        request,
        "tenants/onboarding_start.html",
        {"form": form, "wilayah_choices": selectors.wilayah_available(), "root_domain": settings.ROOT_DOMAIN},
        status=status,
    )


def onboarding_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/onboarding_sent.html")


def onboarding_verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = registration_verify(token=token)
    except ApplicationError as error:
        public_id = error.extra.get("public_id")
        if public_id and public_id in request.session.get(_SESSION_KEY, []):
            # The same browser clicking its link again: show it the progress it already follows.
            return redirect("onboarding-progress", public_id=public_id)
        return render(
            request,
            "tenants/onboarding_error.html",
            {"message": error.message, "back_url": reverse("onboarding-start")},
            status=error.status,
        )
    # This browser proved it reads the applicant's mailbox: it may follow the progress and,
    # at the end, take the one-time sign-in to the new host.
    request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, []), str(registration.public_id)]
    return redirect("onboarding-progress", public_id=registration.public_id)


def _registration_for(request: HttpRequest, public_id: UUID) -> Registration:
    registration = (
        Registration.objects.select_related("wilayah", "tenant").filter(public_id=public_id).first()
    )
    if registration is None or str(public_id) not in request.session.get(_SESSION_KEY, []):
        raise Http404
    return registration


def onboarding_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    registration = _registration_for(request, public_id)
    return render(request, "tenants/onboarding_progress.html", _progress_context(request, registration))


def onboarding_progress_partial(request: HttpRequest, public_id: UUID) -> HttpResponse:
    registration = _registration_for(request, public_id)
    return render(request, "tenants/_onboarding_steps.html", _progress_context(request, registration))


def _progress_context(request: HttpRequest, registration: Registration) -> dict:
    order = [
        Registration.Step.SCHEMA,
        Registration.Step.ADMIN,
        Registration.Step.ORGANISATION,
        Registration.Step.DONE,
    ]
    values = [step.value for step in order]
    current = values.index(registration.step) if registration.step in values else -1
    steps = [
        {
            "label": step.label,
            "state": "done"
            if i < current or registration.step == "done"
            else ("active" if i == current else "waiting"),
        }
        for i, step in enumerate(order)
    ]
    login_url = ""
    if registration.status == Registration.Status.DONE and registration.login_used_at is None:
        host = tenant_host(subdomain=registration.subdomain)
        port = request.get_port()
        netloc = host if port in ("80", "443") else f"{host}:{port}"
        token = registration_login_token(registration=registration)
        login_url = f"{request.scheme}://{netloc}/pengaturan/masuk/{token}/"
    polling = registration.status in (Registration.Status.QUEUED, Registration.Status.PROVISIONING)
    return {"registration": registration, "steps": steps, "login_url": login_url, "polling": polling}
