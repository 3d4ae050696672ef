"""The queue-server command, including the README's quick start as a real process."""
import json
import urllib.request

import pytest
from click.testing import CliRunner

from queue_server.cli import main

from .serving import ServerProcess


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("QUEUE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_migrate_then_up_to_date(cli_env):
    first = invoke("migrate")
    assert "0001_initial" in first.output
    assert "up to date" in invoke("migrate").output


def test_demo_seeds_once(cli_env):
    assert "clerk4" in invoke("demo").output
    assert "nothing seeded" in invoke("demo").output


def test_create_user_and_refuse_duplicate(cli_env):
    invoke("migrate")
    made = invoke("create-user", "lan", "--role", "supervisor", input="s3cret\ns3cret\n")
    assert "Created supervisor lan" in made.output
    again = CliRunner().invoke(main, ["create-user", "lan", "--role", "clerk"],
                               input="x\nx\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_run_refuses_without_a_secret_key(cli_env, monkeypatch):
    monkeypatch.delenv("QUEUE_SECRET_KEY", raising=False)
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code != 0 and "QUEUE_SECRET_KEY" in result.output


def test_quick_start_serves_the_demo_office(tmp_path):
    """``queue-server run --demo`` in a fresh folder: data under ./instance/, demo office."""
    with ServerProcess(tmp_path, env={"QUEUE_SECRET_KEY": ""}) as server:
        with urllib.request.urlopen(server.url + "/api/v1/services") as response:
            codes = [row["code"] for row in json.load(response)]
        request = urllib.request.Request(
            server.url + "/api/v1/tickets", data=json.dumps({"service": "B"}).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request) as response:
            ticket = json.load(response)
        out = server.output()
    assert codes == ["A", "B", "C", "D"]
    assert (ticket["number"], ticket["status"]) == ("B001", "waiting")
    assert str(tmp_path / "instance" / "queue.db") in out
    assert "clerk1" in out and "'demo'" in out
    assert "Control socket" not in out  # instances on one host must not share gunicorn's
    assert (tmp_path / "instance" / "queue.db").exists()


def test_backup_copies_a_live_database(cli_env):
    import sqlite3

    invoke("demo")
    result = invoke("backup", str(cli_env / "copy.db"))
    assert "100% copied" in result.output and result.exit_code == 0
    with sqlite3.connect(cli_env / "copy.db") as copy:
        offices = copy.execute("SELECT name FROM office").fetchall()
    assert offices == [("UBND phường Dĩnh Kế",)]
    again = CliRunner().invoke(main, ["backup", str(cli_env / "copy.db")])
    assert again.exit_code != 0 and "exists" in again.output
