"""Start the web server, the task worker and the clock (periodic jobs) together; Ctrl-C stops them.

First comes the demo's sandbox of the networks (``terrain/demo/sandbox_server.py``): local
servers speaking the APIs of Mastodon, Bluesky, Telegram, Facebook and X, and IMAP, on 127.0.0.1
(``SANDBOX_PORT``, 8701 and the next ports), to which the demo's accounts are connected, so
that a demo message really goes out without leaving the machine, and e-mails wait for the inbox.

One of them that dies (a crash, "Too many open files", a killed process) is started again after a
pause that doubles with each death in a row (1 s, 2 s, 4 s… at most 30 s), and the console says so:
the others keep serving meanwhile. A process that ran a minute before dying starts its count afresh.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Service:
    name: str
    command: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    deaths_in_a_row: int = 0
    restart_at: float | None = None  # when it is dead and waiting to start again


class Supervisor:
    """Keeps ``services`` running: ``start()``, then ``check()`` every second, ``stop()`` at the end."""

    def __init__(
        self,
        services: Sequence[Service],
        *,
        env: dict[str, str] | None = None,
        popen: Callable[..., subprocess.Popen] = subprocess.Popen,
        clock: Callable[[], float] = time.monotonic,
        say: Callable[[str], None] = lambda line: print(line, flush=True),
        first_delay: float = 1.0,
        longest_delay: float = 30.0,
        steady_after: float = 60.0,
    ):
        self.services = list(services)
        self.env = env
        self.popen = popen
        self.clock = clock
        self.say = say
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.steady_after = steady_after
        self.stopping = False

    def start(self) -> None:
        for service in self.services:
            self._launch(service)

    def _launch(self, service: Service) -> None:
        service.process = self.popen(list(service.command), env=self.env)
        service.started_at = self.clock()
        service.restart_at = None

    def delay(self, deaths_in_a_row: int) -> float:
        """The pause before starting again a process that died ``deaths_in_a_row`` times (1 and more)."""
        return min(self.longest_delay, self.first_delay * 2 ** (deaths_in_a_row - 1))

    def check(self) -> None:
        """Notice the processes that died, and start again those whose pause is over."""
        if self.stopping:
            return
        now = self.clock()
        for service in self.services:
            if service.restart_at is not None:
                if now >= service.restart_at:
                    self.say(f"Terrain: starting the {service.name} again.")
                    self._launch(service)
                continue
            code = service.process.poll() if service.process is not None else None
            if code is None:
                continue
            if now - service.started_at >= self.steady_after:
                service.deaths_in_a_row = 0  # it had been running well: a fresh count
            service.deaths_in_a_row += 1
            pause = self.delay(service.deaths_in_a_row)
            service.restart_at = now + pause
            self.say(
                f"Terrain: the {service.name} stopped (exit code {code}); "
                f"starting it again in {pause:g} s, the others keep running."
            )

    def stop(self) -> None:
        self.stopping = True
        running = [s.process for s in self.services if s.process is not None and s.process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def stop_on_signals(self) -> None:
        """Ctrl-C (SIGINT) or SIGTERM stops every service, then the process, with code 0."""

        def stop(*_args) -> None:
            self.stop()
            sys.exit(0)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)


def wait_for_port(port: int, *, seconds: float = 15.0) -> bool:
    """Whether something listens on 127.0.0.1:``port`` within ``seconds`` (the sandbox before the worker)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="8000")
    parser.add_argument("--sandbox-port", type=int, default=int(os.environ.get("SANDBOX_PORT") or 8701))
    args = parser.parse_args(argv)

    python = sys.executable
    supervisor = Supervisor(
        [
            Service(
                "sandbox of the networks",
                [python, "-m", "terrain.demo.sandbox_server", "--port", str(args.sandbox_port)],
            ),
            Service("web server", [python, "manage.py", "runserver", f"127.0.0.1:{args.port}"]),
            Service("task worker", [python, "manage.py", "db_worker", "--interval", "1"]),
            Service("clock", [python, "manage.py", "clock"]),
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    supervisor.stop_on_signals()
    supervisor.start()
    # The worker and the clock talk to the sandbox at once (due publications, token checks).
    wait_for_port(args.sandbox_port)
    print(
        f"\nTerrain: http://127.0.0.1:{args.port}/  (Ctrl-C stops them all)\n",
        flush=True,
    )
    while True:
        time.sleep(1)
        supervisor.check()


if __name__ == "__main__":
    main()
