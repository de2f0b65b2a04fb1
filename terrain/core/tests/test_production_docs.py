"""docs/production.md stays true: its environment file passes ``check --deploy``, and the commands
its units run exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUIDE = (ROOT / "docs" / "production.md").read_text()


def _environment_file() -> dict[str, str]:
    section = GUIDE.split("## 2. Configure", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    values = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def test_the_guide_s_environment_passes_check_deploy(tmp_path):
    env = _environment_file()
    assert {"SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "BEHIND_HTTPS_PROXY"} <= env.keys()
    env.update(SECRET_KEY="d" * 20 + "K7#mQ9@vL2$wR5!tY8&uP3*zN6^bC1%d", TERRAIN_VAR_DIR=str(tmp_path))
    env = {name: value for name, value in env.items() if value != "..."}
    unwanted = {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "terrain.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_commands_of_the_units_exist():
    from django.core.management import get_commands

    commands = set(get_commands())
    used = set(re.findall(r"manage\.py (\w+)", GUIDE))
    assert {"backup", "restore", "migrate", "collectstatic", "clock", "db_worker"} <= used
    assert used - {"rqworker"} <= commands  # rqworker is there once REDIS_URL is set
    assert (ROOT / "scripts" / "serve.py").exists()
