"""Loading the signed-in user on every request (eoffice.accounts.backends)."""

import pytest
from django.forms.models import model_to_dict
from django_tenants.utils import schema_context

from eoffice.accounts.backends import AuthenticationBackend
from eoffice.accounts.models import User
from tenants.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_get_user_loads_every_field_the_orm_loads(sumedang):
    with schema_context(sumedang.schema_name):
        # given a regency admin of the demo regency
        expected = User.objects.get(username="admin.sumedang")
        # when the backend loads them by id, as each request does
        loaded = AuthenticationBackend().get_user(expected.pk)
        # then it is the same user with the same values, password hash included
        assert loaded is not None
        assert model_to_dict(loaded) == model_to_dict(expected)
        assert (loaded.password, loaded.peran, loaded._state.adding) == (
            expected.password,
            expected.peran,
            False,
        )


def test_get_user_refuses_unknown_and_deactivated_users(sumedang):
    with schema_context(sumedang.schema_name):
        user = User.objects.get(username="admin.sumedang")
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert AuthenticationBackend().get_user(user.pk) is None
        assert AuthenticationBackend().get_user(10**12) is None


def test_a_signed_in_request_loads_its_user_in_one_statement(sumedang, client_for, django_assert_num_queries):
    # given the regency admin signed in through allauth (session in the cache)
    client = client_for(sumedang)
    response = client.post("/accounts/login/", {"login": "admin.sumedang", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    client.get("/api/v1/me/")
    # when they call the API again, the session costs no query and the user one
    with django_assert_num_queries(1) as captured:
        response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert 'FROM "accounts_user" WHERE "id" = ' in captured.captured_queries[0]["sql"]
