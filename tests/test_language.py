"""Bahasa Indonesia by default; English when the user switches, remembered by cookie."""

from django.conf import settings

from conftest import host_client


def test_pages_are_indonesian_by_default_even_for_english_browsers(kendari):
    response = host_client(kendari).get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.text
    assert "NIP atau e-mail" in response.text


def test_switching_to_english_sticks(kendari):
    client = host_client(kendari)

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")

    assert switched.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.text
    assert "NIP or email" in page.text
    assert "Forgot password?" in page.text
