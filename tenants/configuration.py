"""Per-tenant configuration: one document per tenant, validated, versioned and audited.

The document (`Tenant.config`) holds the platform sections below plus one section per module,
named after the module (`presensi`, `tpp`, …), which that module reads and checks itself. Every
save writes a `TenantConfigVersion`; reverting saves an earlier version again as a new one.
"""

import copy
import re
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from eoffice.core.modules import all_modules
from tenants.models import ConfigTemplate, Domain, Tenant, TenantConfigVersion

ALWAYS_ON_MODULE = "kepegawaian"
LETTER_PLACEHOLDERS = ("nomor", "kode_klasifikasi", "unit", "bulan_romawi", "bulan", "tahun")
# Identity of a regency: never carried over when another tenant adopts a configuration.
NOT_ADOPTED = ("display_name", "branding", "custom_domains", "timezone")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_HHMM_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_HOST_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def default_config(*, tenant: Tenant) -> dict[str, Any]:
    """National defaults: Perpres 21/2023 working time (Mon–Thu 07:30–16:00, Fri 07:30–16:30;
    Ramadan 08:00–15:00), every module on, the regency's own zone."""
    config: dict[str, Any] = {
        "display_name": tenant.name,
        "branding": {"logo_url": "", "primary_color": "#0f5c8c", "secondary_color": "#f2a900"},
        "timezone": tenant.timezone,
        "language": "id",
        "calendar": {
            "work_days": [1, 2, 3, 4, 5],
            "start": "07:30",
            "end": "16:00",
            "friday_end": "16:30",
            "ramadan": {"start_date": "", "end_date": "", "start": "08:00", "end": "15:00"},
        },
        "modules": [spec.name for spec in all_modules()],
        "letter_numbering": {"format": "{kode_klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}"},
        "notifications": {"email": True, "in_app": True, "digest_hour": 7},
        "custom_domains": [],
    }
    for spec in all_modules():
        if spec.default_config:
            config[spec.name] = copy.deepcopy(spec.default_config)
    return config


def config_validate(data: Any) -> dict[str, Any]:
    """Check a whole configuration document; raise ApplicationError naming every bad field
    (dotted paths such as `calendar.start`), else return it normalised."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not isinstance(data, dict):
        raise ApplicationError(
            _("Konfigurasi harus berupa objek JSON."), fields={"config": [_("Bukan objek.")]}
        )
    module_names = {spec.name for spec in all_modules()}
    known = {
        "display_name",
        "branding",
        "timezone",
        "language",
        "calendar",
        "modules",
        "letter_numbering",
        "notifications",
        "custom_domains",
    }
    for key in data:
        if key not in known and key not in module_names:
            fail(key, _("Bagian konfigurasi “%(key)s” tidak dikenal.") % {"key": key})
    result: dict[str, Any] = {key: copy.deepcopy(value) for key, value in data.items() if key in module_names}

    display_name = data.get("display_name")
    if not isinstance(display_name, str) or not 3 <= len(display_name.strip()) <= 100:
        fail("display_name", _("Nama tampilan wajib diisi, 3–100 karakter."))
    else:
        result["display_name"] = display_name.strip()

    branding = _section(data, "branding", fail)
    logo = branding.get("logo_url", "")
    if not isinstance(logo, str) or (logo and not logo.startswith(("https://", "/static/", "/media/"))):
        fail("branding.logo_url", _("Alamat logo harus diawali https:// (atau /static/, /media/)."))
    colors = {}
    for name in ("primary_color", "secondary_color"):
        value = branding.get(name, "")
        if not isinstance(value, str) or not _COLOR_RE.match(value):
            fail(f"branding.{name}", _("Warna harus berbentuk #RRGGBB, misalnya #0f5c8c."))
        else:
            colors[name] = value.lower()
    result["branding"] = {"logo_url": logo if isinstance(logo, str) else "", **colors}

    zone = data.get("timezone")
    if zone not in Tenant.Zona.values:
        fail(
            "timezone",
            _("Zona waktu harus WIB (Asia/Jakarta), WITA (Asia/Makassar) atau WIT (Asia/Jayapura)."),
        )
    result["timezone"] = zone
    language = data.get("language")
    if language not in dict(settings.LANGUAGES):
        fail("language", _("Bahasa harus “id” atau “en”."))
    result["language"] = language

    calendar = _section(data, "calendar", fail)
    days = calendar.get("work_days")
    if (
        not isinstance(days, list)
        or not days
        or any(not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 7 for day in days)
        or len(set(days)) != len(days)
    ):
        fail(
            "calendar.work_days",
            _("Hari kerja berupa daftar angka 1 (Senin) sampai 7 (Minggu), tanpa duplikat."),
        )
        days = []
    hours = {}
    for name in ("start", "end", "friday_end"):
        value = calendar.get(name)
        if not isinstance(value, str) or not _HHMM_RE.match(value):
            fail(f"calendar.{name}", _("Jam harus berbentuk JJ:MM, misalnya 07:30."))
        else:
            hours[name] = value
    if "start" in hours and "end" in hours and hours["start"] >= hours["end"]:
        fail("calendar.end", _("Jam pulang harus setelah jam masuk."))
    if "start" in hours and "friday_end" in hours and hours["start"] >= hours["friday_end"]:
        fail("calendar.friday_end", _("Jam pulang hari Jumat harus setelah jam masuk."))
    ramadan = calendar.get("ramadan") or {}
    ramadan_out: dict[str, str] = {}
    if not isinstance(ramadan, dict):
        fail("calendar.ramadan", _("Musim Ramadan harus berupa objek."))
        ramadan = {}
    dates = {}
    for name in ("start_date", "end_date"):
        value = ramadan.get(name, "")
        if value in ("", None):
            ramadan_out[name] = ""
            continue
        try:
            dates[name] = date.fromisoformat(str(value))
            ramadan_out[name] = dates[name].isoformat()
        except ValueError:
            fail(f"calendar.ramadan.{name}", _("Tanggal harus berbentuk TTTT-BB-HH."))
    if len(dates) == 1:
        fail(
            "calendar.ramadan.end_date", _("Isi tanggal mulai dan selesai Ramadan, atau kosongkan keduanya.")
        )
    if len(dates) == 2 and dates["start_date"] > dates["end_date"]:
        fail("calendar.ramadan.end_date", _("Tanggal selesai Ramadan harus setelah tanggal mulai."))
    for name in ("start", "end"):
        value = ramadan.get(name, "08:00" if name == "start" else "15:00")
        if not isinstance(value, str) or not _HHMM_RE.match(value):
            fail(f"calendar.ramadan.{name}", _("Jam harus berbentuk JJ:MM, misalnya 08:00."))
        else:
            ramadan_out[name] = value
    if ramadan_out.get("start", "") >= ramadan_out.get("end", "99") and "start" in ramadan_out:
        fail("calendar.ramadan.end", _("Jam pulang Ramadan harus setelah jam masuk."))
    result["calendar"] = {**hours, "work_days": sorted(days), "ramadan": ramadan_out}

    modules = data.get("modules")
    if not isinstance(modules, list) or any(not isinstance(name, str) for name in modules):
        fail("modules", _("Modul berupa daftar nama modul."))
        modules = []
    unknown = sorted(set(modules) - module_names)
    if unknown:
        fail("modules", _("Modul tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)})
    chosen = set(modules) & module_names
    chosen.add(ALWAYS_ON_MODULE)  # every module builds on kepegawaian
    chosen |= {spec.name for spec in all_modules() if spec.always_on}
    for spec in all_modules():
        if spec.name in chosen:
            for dependency in spec.depends_on:
                if dependency not in chosen:
                    fail(
                        "modules",
                        _("Modul %(name)s membutuhkan modul %(dep)s.")
                        % {"name": spec.label, "dep": dependency},
                    )
    result["modules"] = [spec.name for spec in all_modules() if spec.name in chosen]

    numbering = _section(data, "letter_numbering", fail)
    fmt = numbering.get("format")
    if not isinstance(fmt, str) or not 5 <= len(fmt) <= 120:
        fail("letter_numbering.format", _("Format penomoran surat wajib diisi (5–120 karakter)."))
    else:
        placeholders = re.findall(r"{([^{}]*)}", fmt)
        bad = [name for name in placeholders if name not in LETTER_PLACEHOLDERS]
        if bad:
            fail(
                "letter_numbering.format",
                _("Penanda tidak dikenal: %(bad)s. Yang tersedia: %(ok)s.")
                % {
                    "bad": ", ".join(f"{{{b}}}" for b in bad),
                    "ok": ", ".join(f"{{{o}}}" for o in LETTER_PLACEHOLDERS),
                },
            )
        elif "nomor" not in placeholders or "tahun" not in placeholders:
            fail("letter_numbering.format", _("Format harus memuat {nomor} dan {tahun}."))
    result["letter_numbering"] = {"format": fmt}

    notifications = _section(data, "notifications", fail)
    out_notifications: dict[str, Any] = {}
    for name in ("email", "in_app"):
        value = notifications.get(name, True)
        if not isinstance(value, bool):
            fail(f"notifications.{name}", _("Isi dengan true atau false."))
        out_notifications[name] = value
    digest = notifications.get("digest_hour", 7)
    if not isinstance(digest, int) or isinstance(digest, bool) or not 0 <= digest <= 23:
        fail("notifications.digest_hour", _("Jam ringkasan harian 0–23."))
    out_notifications["digest_hour"] = digest
    result["notifications"] = out_notifications

    domains = data.get("custom_domains", [])
    if not isinstance(domains, list):
        fail("custom_domains", _("Domain khusus berupa daftar nama domain."))
        domains = []
    clean_domains = []
    for value in domains:
        host = str(value).strip().lower().rstrip(".")
        if not _HOST_RE.match(host) or host.endswith("." + settings.ROOT_DOMAIN):
            fail("custom_domains", _("Nama domain “%(domain)s” tidak valid.") % {"domain": host})
        elif host not in clean_domains:
            clean_domains.append(host)
    result["custom_domains"] = clean_domains

    if errors:
        raise ApplicationError(_("Konfigurasi belum valid. Periksa isian yang ditandai."), fields=errors)
    return result


def _section(data: dict[str, Any], name: str, fail: Any) -> dict[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        fail(name, _("Bagian ini wajib diisi."))
        return {}
    return value


def config_initial_create(*, tenant: Tenant, base: dict[str, Any] | None = None) -> TenantConfigVersion:
    """Version 1 at provisioning: national defaults, or an adopted template merged over them."""
    config = default_config(tenant=tenant)
    if base:
        config.update({key: copy.deepcopy(value) for key, value in base.items() if key not in NOT_ADOPTED})
    return _save_version(
        tenant=tenant, config=config_validate(config), actor=None, reason=_("Konfigurasi awal")
    )


def config_update(
    *, tenant: Tenant, data: dict[str, Any], actor: Any, reason: str = ""
) -> TenantConfigVersion:
    """Validate and save a new version; the tenant's zone, language and custom domains follow it."""
    return _save_version(tenant=tenant, config=config_validate(data), actor=actor, reason=reason)


def config_revert(*, tenant: Tenant, version: int, actor: Any) -> TenantConfigVersion:
    """Make an earlier version current again (saved as a new version, so nothing is lost)."""
    earlier = TenantConfigVersion.objects.filter(tenant=tenant, version=version).first()
    if earlier is None:
        raise ApplicationError(
            _("Versi %(version)s tidak ditemukan.") % {"version": version}, code="not_found", status=404
        )
    return _save_version(
        tenant=tenant,
        config=config_validate(earlier.config),
        actor=actor,
        reason=_("Dikembalikan ke versi %(version)s") % {"version": version},
    )


def config_publish(*, tenant: Tenant, actor: Any, nama: str = "") -> ConfigTemplate:
    """Offer this tenant's configuration (settings only) for other regencies to adopt."""
    with transaction.atomic():
        template, _created = ConfigTemplate.objects.update_or_create(
            tenant=tenant,
            defaults={
                "nama": (nama or "").strip() or _("Konfigurasi %(name)s") % {"name": tenant.name},
                "config": {key: value for key, value in tenant.config.items() if key not in NOT_ADOPTED},
            },
        )
        audit_record(actor=actor, action="config.publish", target=tenant, after={"template": template.pk})
    return template


def config_unpublish(*, tenant: Tenant, actor: Any) -> None:
    with transaction.atomic():
        deleted, _rows = ConfigTemplate.objects.filter(tenant=tenant).delete()
        if deleted:
            audit_record(actor=actor, action="config.unpublish", target=tenant)


def config_adopt(*, tenant: Tenant, template_id: int, actor: Any) -> TenantConfigVersion:
    """Start from another regency's published configuration; this tenant keeps its own identity
    (name, logo, colours, zone, domains) and no data is copied."""
    template = ConfigTemplate.objects.filter(pk=template_id).select_related("tenant").first()
    if template is None:
        raise ApplicationError(
            _("Templat konfigurasi tidak ditemukan."),
            fields={"template": [_("Pilih templat yang tersedia.")]},
            status=404,
        )
    if template.tenant_id == tenant.pk:
        raise ApplicationError(
            _("Templat ini milik daerah Anda sendiri."),
            fields={"template": [_("Pilih templat daerah lain.")]},
        )
    merged = copy.deepcopy(tenant.config) or default_config(tenant=tenant)
    merged.update(
        {key: copy.deepcopy(value) for key, value in template.config.items() if key not in NOT_ADOPTED}
    )
    return _save_version(
        tenant=tenant,
        config=config_validate(merged),
        actor=actor,
        reason=_("Mengadopsi konfigurasi %(name)s") % {"name": template.tenant.name},
    )


def _save_version(*, tenant: Tenant, config: dict[str, Any], actor: Any, reason: str) -> TenantConfigVersion:
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        before = locked.config
        last = TenantConfigVersion.objects.filter(tenant=locked).order_by("-version").first()
        _sync_custom_domains(tenant=locked, wanted=config.get("custom_domains", []), actor=actor)
        version = TenantConfigVersion.objects.create(
            tenant=locked,
            version=(last.version + 1) if last else 1,
            config=config,
            actor=str(actor) if actor is not None else "",
            actor_id=getattr(actor, "pk", None),
            reason=reason[:300],
        )
        locked.config = config
        locked.timezone = config["timezone"]
        locked.language = config["language"]
        locked.save(update_fields=["config", "timezone", "language", "updated_at"])
        audit_record(
            actor=actor,
            action="config.update",
            target=locked,
            before={"version": last.version if last else None, "config": before},
            after={"version": version.version, "changed": sorted(_changed_keys(before, config))},
            reason=reason,
        )
    tenant.config, tenant.timezone, tenant.language = locked.config, locked.timezone, locked.language
    return version


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}


def _sync_custom_domains(*, tenant: Tenant, wanted: list[str], actor: Any) -> None:
    from tenants.services import custom_domain_add, custom_domain_remove

    current = set(Domain.objects.filter(tenant=tenant, is_primary=False).values_list("domain", flat=True))
    for host in sorted(current - set(wanted)):
        custom_domain_remove(tenant=tenant, domain=host, actor=actor, reason=_("Konfigurasi"))
    for host in wanted:
        if host not in current:
            try:
                custom_domain_add(tenant=tenant, domain=host, actor=actor, reason=_("Konfigurasi"))
            except ApplicationError as exc:
                raise ApplicationError(
                    exc.message, code=exc.code, fields={"custom_domains": [exc.message]}, status=exc.status
                ) from exc
