"""The OpenAPI document stays true: every API route is in it and the reverse."""
import re

from openapi_spec_validator import validate


def api_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if path.startswith("/api/v1/") or path == "/healthz":
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", path)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    return routes


def documented(document):
    return {(path, method) for path, item in document["paths"].items() for method in item}


def test_document_is_valid_openapi(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)


def test_every_route_is_documented_and_the_reverse(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert api_routes(app) == documented(document)
