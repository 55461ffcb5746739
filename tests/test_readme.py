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


def test_readme_console_samples_are_the_real_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    samples = re.findall(
        r"```console\n *\$ rolecls (classify [^\n|]*)(?:\| head -(\d+))?\n(.*?)\n *```", README, flags=re.S
    )
    assert len(samples) >= 2
    for command, head, shown in samples:
        result = CliRunner().invoke(main, command.split())
        assert result.exit_code == 0
        lines = result.stdout.rstrip("\n").split("\n")
        expected = "\n".join(line.strip() for line in shown.split("\n"))
        real = "\n".join(line.strip() for line in (lines[: int(head)] if head else lines))
        assert real == expected, command


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
    (report,) = card["evaluation"].values()
    readers, titles = report["overall"], report["other_labels"]["label"]["overall"]
    prose = " ".join(README.split())
    stated = re.search(
        r"the shipped model agrees on (\d+)% of rows\. It confuses product and project roles on (\d+)% of the "
        r"product and project rows and calls (\d+)% of them hybrid, finding (\d+) of the (\d+) hybrids; it finds "
        r"(\d+) of the (\d+) texts that hold no management duties and calls (\d+)% of the management rows neither; "
        r"its role mix ranks the management rows by the readers' product share with a Spearman correlation of "
        r"(0\.\d\d)\. Against the title labels it agrees on (\d+)% of rows\.",
        prose,
    )
    assert stated is not None
    measured = [
        round(100 * readers["accuracy"]),
        round(100 * readers["side_confusion_rate"]),
        round(100 * readers["hybrid_prediction_rate"]),
        readers["hybrid_found"],
        readers["hybrid_rows"],
        readers["neither_found"],
        readers["neither_rows"],
        round(100 * readers["neither_prediction_rate"]),
        f"{readers['mix_spearman']:.2f}",
        round(100 * titles["accuracy"]),
    ]
    assert [str(value) for value in stated.groups()] == [str(value) for value in measured]
