"""A model's validation refusal becomes the one application error, field by field."""

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
