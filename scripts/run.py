"""Start the web server, the task worker and the clock (periodic jobs) together; Ctrl-C stops them."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", default="8000")
args = parser.parse_args()

python = sys.executable
env = {**os.environ, "PYTHONUNBUFFERED": "1"}
processes = [
    subprocess.Popen([python, "manage.py", "runserver", f"127.0.0.1:{args.port}"], env=env),  # noqa: S603
    subprocess.Popen([python, "manage.py", "db_worker", "--interval", "1"], env=env),  # noqa: S603
    subprocess.Popen([python, "manage.py", "clock"], env=env),  # noqa: S603
]


def stop(*_args) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    sys.exit(0)


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
print(f"\nTerrain: http://127.0.0.1:{args.port}/  (Ctrl-C to stop the server, the worker and the clock)\n", flush=True)
while all(p.poll() is None for p in processes):
    time.sleep(1)
stop()
