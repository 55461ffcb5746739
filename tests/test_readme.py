"""The README shows real output and runnable code."""

from __future__ import annotations

import re

from click.testing import CliRunner

from rolecls.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_install_and_test_commands():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)
    assert blocks[0] == "pip install . && rolecls classify data/examples/product_posting.txt"
    assert blocks[1] == "pip install -e '.[test]' && pytest"


def test_readme_console_sample_is_the_real_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    sample = re.search(r"```console\n\$ rolecls (classify [^\n]*)\n(.*?)\n```", README, flags=re.S)
    assert sample is not None
    result = CliRunner().invoke(main, sample.group(1).split())
    assert result.exit_code == 0
    assert result.stdout.rstrip("\n") == sample.group(2)


def test_readme_python_example_runs():
    code = re.search(r"```python\n(.*?)\n```", README, flags=re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    assert namespace["result"].label == "product"
