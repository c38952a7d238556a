"""Logs and error reports carry the request and the tenant, and never a NIP or NIK."""

import io
import json
import logging

import sentry_sdk
from django.http import HttpResponse
from django.test import RequestFactory

from conftest import host_client
from eoffice.core.middleware import RequestContextMiddleware
from eoffice.core.observability import mask_identifiers, sentry_options

NIP = "199001152019032002"
NIK = "7471015506900001"


def test_mask_identifiers_leaves_digit_runs_inside_words_alone():
    request_id = "5e1234567890123456f84236e618666a"

    assert mask_identifiers(f"request {request_id}") == f"request {request_id}"


def test_mask_identifiers_hides_nip_in_both_spellings_and_nik():
    text = f"NIP {NIP} / 19900115 201903 2 002, NIK {NIK}, telepon 081234567890"

    assert mask_identifiers(text) == (
        "NIP **************2002 / **************2002, NIK ************0001, telepon 081234567890"
    )


class CapturingTransport(sentry_sdk.transport.Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


def test_sentry_event_is_tagged_with_tenant_and_scrubbed(kendari, settings):
    settings.SENTRY_DSN = "https://public@sentry.invalid/1"
    transport = CapturingTransport()
    sentry_sdk.init(**{**sentry_options(), "transport": transport})

    def failing_view(request):
        try:
            raise ValueError(f"Gagal memproses pegawai NIP {NIP} dengan NIK {NIK}")
        except ValueError:
            sentry_sdk.capture_exception()
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_HOST="kendari.localhost")
    request.tenant = kendari
    request.COOKIES = {}
    with sentry_sdk.isolation_scope():
        RequestContextMiddleware(failing_view)(request)
    sentry_sdk.flush()
    sentry_sdk.init()  # back to no DSN: nothing else is reported

    assert len(transport.events) == 1
    event = transport.events[0]
    assert event["tags"]["tenant"] == "kendari"
    serialized = json.dumps(event)
    assert NIP not in serialized
    assert NIK not in serialized
    assert "**************2002" in serialized


def test_log_lines_are_json_with_request_id_and_tenant(kendari):
    # The configured console formatter, writing to a buffer instead of stderr.
    formatter = logging.getLogger().handlers[0].formatter
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    logging.getLogger().addHandler(handler)
    try:
        response = host_client(kendari).get(f"/pegawai-{NIP}/tidak-ada/")
    finally:
        logging.getLogger().removeHandler(handler)

    assert response.status_code == 404
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    not_found = [line for line in lines if line["event"].startswith("Not Found")]
    assert len(not_found) == 1
    assert not_found[0]["tenant"] == "kendari"
    assert not_found[0]["request_id"] == response["X-Request-ID"]
    assert NIP not in not_found[0]["event"]
    assert not_found[0]["level"] == "warning"
