"""The money filter TPP and KGB pages print amounts with lives in the core library, once."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1_234_500, "Rp1.234.500"), (0, "Rp0"), (None, "Rp0"), (-50_000, "−Rp50.000"), (999, "Rp999")],
)
def test_rupiah_groups_thousands_with_dots(value, expected):
    assert Template("{% load money %}{{ value|rupiah }}").render(Context({"value": value})) == expected


def test_tpp_no_longer_has_a_copy_of_the_filter():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load tpp %}")
