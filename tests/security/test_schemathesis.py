"""schemathesis against /api/v1/openapi.json, in-process: no 500, no answer outside the schema.

Each operation gets a modest, derandomised batch of generated requests with an
admin's bearer token (a clerk's for the clerk's operations would test less: the
admin reaches every operation). Generated data never needs the network.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_headers_conformance, response_schema_conformance,
                                 status_code_conformance)

from queue_server.engine import accounts
from queue_server.models import User

EXAMPLES = 25
#: No 500, and every answer documented: status, content type, headers, body schema.
#: (Whether a schema-valid request is accepted depends on data the schema cannot
#: know, e.g. which service codes exist, so acceptance is not checked here.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _operations(schema):
    ops = []
    for result in schema.get_all_operations():
        ops.append(result.ok())
    return ops


def test_no_server_error_and_every_answer_in_the_schema(app, schema):
    token = accounts.issue_token(User.get(User.username == "admin"), 3600)
    headers = {"Authorization": f"Bearer {token}"}
    failures, calls = [], []
    for operation in _operations(schema):
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            calls.append((operation.label, response.status_code))
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    tried = {label for label, _ in calls}
    assert len(tried) == len(_operations(schema)) >= 20  # every operation was exercised
    assert len(calls) >= 10 * len(tried) and any(status < 300 for _, status in calls)
