from django import template

from modules.tpp.selectors import rupiah_text

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """Integer rupiah as printed here: Rp1.234.500 (dots group thousands)."""
    return rupiah_text(int(value or 0))
