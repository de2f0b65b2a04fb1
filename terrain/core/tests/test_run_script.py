"""scripts/run.py (``make run``) keeps serving when one of its processes dies."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("terrain_run_script", ROOT / "scripts" / "run.py")
run = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = run  # dataclasses look their module up
_spec.loader.exec_module(run)


class FakeProcess:
    def __init__(self, command, env=None):
        self.command = command
        self.code = None
        self.terminated = False

    def poll(self):
        return self.code

    def terminate(self):
        self.terminated = True
        self.code = -15

    def wait(self, timeout=None):
        return self.code

    def kill(self):
        self.code = -9


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _supervisor(clock, said, started):
    def popen(command, env=None):
        process = FakeProcess(command, env)
        started.append(process)
        return process

    services = [run.Service("web server", ["web"]), run.Service("task worker", ["worker"])]
    return run.Supervisor(services, popen=popen, clock=clock, say=said.append), services


def test_a_dead_process_is_started_again_after_a_pause_and_the_console_says_so():
    clock, said, started = Clock(), [], []
    supervisor, (web, worker) = _supervisor(clock, said, started)
    supervisor.start()
    assert [p.command for p in started] == [["web"], ["worker"]]
    worker_process = worker.process

    web.process.code = 1
    supervisor.check()
    assert len(started) == 2  # not at once
    assert "web server stopped (exit code 1)" in said[-1]
    assert "1 s" in said[-1]
    clock.now += 1
    supervisor.check()
    assert len(started) == 3
    assert web.process is started[-1]
    assert web.process.command == ["web"]
    assert "starting the web server again" in said[-1]
    assert worker.process is worker_process  # the others were left alone


def test_the_pause_doubles_with_each_death_in_a_row_up_to_a_bound():
    clock, said, started = Clock(), [], []
    supervisor, (web, _worker) = _supervisor(clock, said, started)
    supervisor.start()
    pauses = []
    for _ in range(8):
        web.process.code = 1
        supervisor.check()
        pauses.append(web.restart_at - clock.now)
        clock.now = web.restart_at
        supervisor.check()
    assert pauses == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_process_that_ran_a_while_starts_its_count_afresh():
    clock, said, started = Clock(), [], []
    supervisor, (web, _worker) = _supervisor(clock, said, started)
    supervisor.start()
    for _ in range(3):
        web.process.code = 1
        supervisor.check()
        clock.now = web.restart_at
        supervisor.check()
    clock.now += supervisor.steady_after + 1
    web.process.code = 1
    supervisor.check()
    assert web.restart_at - clock.now == 1


def test_stopping_ends_every_process_and_starts_none_again():
    clock, said, started = Clock(), [], []
    supervisor, _services = _supervisor(clock, said, started)
    supervisor.start()
    supervisor.stop()
    assert all(p.terminated for p in started)
    clock.now += 100
    supervisor.check()
    assert len(started) == 2
    assert said == []


def test_a_real_process_that_dies_is_started_again():
    marker = "import sys; print('up', flush=True); sys.exit(3)"
    said = []
    service = run.Service("clock", [sys.executable, "-c", marker])
    supervisor = run.Supervisor([service], say=said.append, first_delay=0.05)
    supervisor.start()
    try:
        first = service.process
        deadline = time.monotonic() + 20
        while service.process is first and time.monotonic() < deadline:
            supervisor.check()
            time.sleep(0.02)
        assert service.process is not first
        assert any("clock stopped (exit code 3)" in line for line in said)
    finally:
        supervisor.stop()
    assert isinstance(service.process, subprocess.Popen)
