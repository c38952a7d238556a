"""Money as people here read it: `{% load money %}` then `{{ amount|rupiah }}` → Rp1.234.500.

Amounts are integer rupiah (STYLE.md rule 6); dots group thousands, as Indonesian writing does
whatever the page's language, so a slip or a letter prints the same figure in every locale.
"""

from django import template

register = template.Library()


def rupiah_text(value: int) -> str:
    """Rp1.234.500; a negative amount (a correction) with a minus sign: −Rp50.000."""
    sign = "−" if value < 0 else ""
    return f"{sign}Rp{abs(value):,}".replace(",", ".")


@register.filter
def rupiah(value: int | None) -> str:
    """Integer rupiah as printed here: Rp1.234.500 (an empty amount prints as Rp0)."""
    return rupiah_text(int(value or 0))
