"""The one application error: from a model's validation refusal, and onto a form, field by field."""

from django.core.exceptions import ValidationError

from eoffice.core.errors import ApplicationError


def test_field_errors_keep_their_fields_and_the_first_message_leads():
    refused = ValidationError({"radius_m": ["Terlalu kecil."], "nama": ["Wajib diisi."]})

    error = ApplicationError.from_validation(refused)

    assert (error.message, error.status) == ("Terlalu kecil.", 400)
    assert error.fields == {"radius_m": ["Terlalu kecil."], "nama": ["Wajib diisi."]}


def test_an_error_without_fields_is_a_non_field_error_and_a_message_can_be_given():
    error = ApplicationError.from_validation(ValidationError("Tanggal bentrok."), message="Data tidak valid.")

    assert (error.message, error.fields) == ("Data tidak valid.", {"non_field_errors": ["Tanggal bentrok."]})


def test_a_refusal_lands_on_the_form_field_by_field_with_the_input_kept():
    from django import forms

    class UnitForm(forms.Form):
        nama = forms.CharField()
        unit = forms.CharField()

    def shown(exc, field_map=None):
        form = UnitForm({"nama": "Dinas Kominfo", "unit": "12"})
        assert form.is_valid()
        exc.add_to_form(form, field_map)
        return form.errors, form.data["nama"]

    # a field the form has, a service name mapped to the form's, and one the form lacks (on top)
    errors, typed = shown(
        ApplicationError(
            "Data tidak valid.",
            fields={"nama": ["Sudah dipakai."], "unit_id": ["Unit tidak aktif."], "kode": ["Kode kosong."]},
        ),
        {"unit_id": "unit"},
    )
    assert errors == {"nama": ["Sudah dipakai."], "unit": ["Unit tidak aktif."], "__all__": ["Kode kosong."]}
    assert typed == "Dinas Kominfo"
    # no field named: the message on top
    assert shown(ApplicationError("Bulan ini sudah dikunci."))[0] == {"__all__": ["Bulan ini sudah dikunci."]}
