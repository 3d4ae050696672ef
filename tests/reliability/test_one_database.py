"""Several processes on one database without a message queue refuse to start, however started.

Without Redis each process keeps its own Socket.IO rooms: boards on one never hear
calls made on another (3 of 8 boards heard none of 8 calls with ``gunicorn -w 4``).
"""
import subprocess
import sys

from tests.serving import ServerProcess, free_port

MESSAGE = "Another queue-server process is already serving this database"


def run(args, workdir, env, timeout=60):
    return subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_run_with_two_workers_and_no_message_queue_is_refused(tmp_path):
    server = ServerProcess(tmp_path, db_url=f"sqlite:///{tmp_path / 'queue.db'}")
    done = run([sys.executable, "-m", "queue_server.cli", "run", "--demo", "--workers", "2",
                "--port", str(free_port())], tmp_path, server.env)
    assert done.returncode != 0
    assert "--workers 2 needs a message queue" in done.stdout + done.stderr


def test_a_second_process_on_the_same_database_is_refused(tmp_path, server_db_url):
    (tmp_path / "p1").mkdir()
    (tmp_path / "p2").mkdir()
    first = ServerProcess(tmp_path / "p1", db_url=server_db_url).start()
    try:
        second = ServerProcess(tmp_path / "p2", db_url=server_db_url, demo=False)
        done = run([sys.executable, "-m", "queue_server.cli", "run", "--port",
                    str(free_port())], tmp_path / "p2", second.env)
        assert done.returncode != 0
        assert MESSAGE in done.stdout + done.stderr
        assert "QUEUE_MESSAGE_QUEUE" in done.stdout + done.stderr
        status, _ = first.api("POST", "/tickets", {"service": "A"})
        assert status == 201  # the first one serves on, untouched
    finally:
        first.kill()


def test_gunicorn_by_hand_with_four_workers_is_refused(tmp_path):
    first = ServerProcess(tmp_path, db_url=f"sqlite:///{tmp_path / 'queue.db'}")
    first.start()  # migrates and seeds; then stopped, so the database is free
    first.stop()
    done = run([sys.executable, "-m", "gunicorn", "-k", "queue_server.door.Worker", "-w", "4",
                "-b", f"127.0.0.1:{free_port()}", "--no-control-socket",
                "queue_server.wsgi:app"], tmp_path, first.env)
    assert done.returncode != 0
    assert MESSAGE in done.stdout + done.stderr
