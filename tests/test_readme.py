"""The README shows real output and runnable code."""

from __future__ import annotations

import json
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


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def test_readme_json_sample_is_the_real_output(monkeypatch):
    # The sample leaves out "text", rounds to 3 places and lists the first phrase, then "...".
    monkeypatch.chdir(ROOT)
    block = re.search(r"\n( *)```json\n(.*?)\n *```", README, flags=re.S)
    assert block is not None
    sample = json.loads(block.group(2))
    result = CliRunner().invoke(main, ["classify", sample["source"], "--format", "json"])
    assert result.exit_code == 0
    real = json.loads(result.stdout)
    real.pop("text")
    real["evidence"] = [real["evidence"][0], "..."]
    assert sample == _rounded(real)


def test_readme_states_the_shipped_models_figures_from_its_card():
    card = json.loads((ROOT / "models" / "rolecls-model.card.json").read_text(encoding="utf-8"))
    (figures,) = card["evaluation"].values()
    overall = figures["overall"]
    prose = " ".join(README.split())
    stated = re.search(
        r"right on (\d+)% of rows; it confuses product and project roles on about (\d+)% of the product and "
        r"project rows \(mostly project roles read as product\) and calls about (\d+)% of them hybrid",
        prose,
    )
    assert stated is not None
    measured = (overall["accuracy"], overall["side_confusion_rate"], overall["hybrid_prediction_rate"])
    assert [int(number) for number in stated.groups()] == [round(100 * share) for share in measured]
