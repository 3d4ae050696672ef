"""The outside services some tests need: PostgreSQL on this machine, and what to do
when one is missing (fail in CI, skip elsewhere, always with the reason)."""
import os

import pytest

#: ``QUEUE_TEST_DATABASE=postgresql://...`` runs the suite on PostgreSQL; the tests that
#: need PostgreSQL anyway use the same server, else the local default.
POSTGRES = os.environ.get("QUEUE_TEST_DATABASE", "")
POSTGRES_SERVER = (POSTGRES or "postgresql://postgres@127.0.0.1:5432/test").rsplit("/", 1)[0]


def unavailable(reason):
    """A needed service or tool is missing: fail in CI (env CI set), skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)", pytrace=False)
    pytest.skip(reason)


def postgres_url(name):
    """The URL of database ``name`` on the test PostgreSQL server."""
    return f"{POSTGRES_SERVER}/{name}"


def postgres_admin(*statements):
    """Run statements (CREATE/DROP DATABASE) outside a transaction on the server."""
    import psycopg2

    conn = psycopg2.connect(postgres_url("postgres"), connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
    conn.close()
