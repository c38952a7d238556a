"""The module registry: each e-Office module declares itself so tenants can enable it.

A module's AppConfig.ready() calls `register(ModuleSpec(...))`. The menu, the tenant
configuration and billing read the registry; nothing lists modules by hand.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from tenants.models import Tenant


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every signed-in user


@dataclass(frozen=True)
class ModuleSpec:
    name: str
    label: str
    description: str = ""
    menu: tuple[MenuEntry, ...] = ()
    depends_on: tuple[str, ...] = ()
    always_on: bool = False
    default_config: dict[str, Any] = field(default_factory=dict)
    # Dotted path of a function `(tenant) -> None` that adds this module's demo data to a demo
    # regency; called by `demo_seed` inside the tenant's schema, once, when the regency is new.
    demo_seed: str = ""
    # Dotted path of a function `(tenant) -> None` that adds a worked history (last month's
    # attendance, closed days) to a new demo regency; `make run` asks for it, the test suite's
    # seed does not (tests build the data they assert on).
    demo_history: str = ""
    order: int = 100


_registry: dict[str, ModuleSpec] = {}


def register(spec: ModuleSpec) -> None:
    for dependency in spec.depends_on:
        if dependency not in _registry:
            raise RuntimeError(f"Module {spec.name} depends on {dependency}, which is not registered first.")
    _registry[spec.name] = spec


def all_modules() -> list[ModuleSpec]:
    return sorted(_registry.values(), key=lambda spec: (spec.order, spec.name))


def enabled_modules(tenant: "Tenant") -> list[ModuleSpec]:
    """Modules on for this tenant: those always on, plus those its configuration enables
    (all, when the configuration says nothing)."""
    chosen = tenant.config.get("modules")
    return [spec for spec in all_modules() if spec.always_on or chosen is None or spec.name in chosen]


def menu_for(tenant: "Tenant", user: Any) -> list[dict[str, Any]]:
    peran = getattr(user, "peran", "")
    sections = []
    for spec in enabled_modules(tenant):
        entries = []
        for entry in spec.menu:
            if entry.roles and peran not in entry.roles:
                continue
            try:
                entries.append({"label": entry.label, "url": reverse(entry.url_name)})
            except NoReverseMatch:
                continue
        if entries:
            sections.append({"module": spec.name, "label": spec.label, "entries": entries})
    return sections
