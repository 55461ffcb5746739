"""Models load only when intact and from a compatible scikit-learn; otherwise a clear message."""

from __future__ import annotations

import json
import shutil

import pytest
import sklearn.base

from rolecls.errors import ModelError
from rolecls.persistence import card_path, load_model, read_card, save_model, sha256_file, shipped_model_path

from .conftest import ROOT


def test_saved_model_round_trips_with_a_card(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    card = save_model(small_model, path, {"note": "test"})
    assert card_path(path).name == "m.card.json"
    assert read_card(path)["sha256"] == sha256_file(path) == card["sha256"]
    loaded = load_model(path)
    texts = ["Own the roadmap and pricing.", "Manage the schedule, budget and risks."]
    assert (loaded.predict_proba(texts) == small_model.predict_proba(texts)).all()


def test_truncated_model_is_refused_with_advice(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelError, match=r"does not match the sha256 in its card.*retrain"):
        load_model(path)


@pytest.mark.filterwarnings("ignore:model .* has no card")
def test_corrupt_model_without_card_is_refused(tmp_path):
    path = tmp_path / "m.joblib"
    path.write_bytes(b"\x80\x04garbage")
    with pytest.raises(ModelError, match="corrupt or truncated"):
        load_model(path)


def test_missing_model_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no model file"):
        load_model(tmp_path / "absent.joblib")


def test_model_from_another_scikit_learn_is_refused_by_its_card(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    card = json.loads(card_path(path).read_text())
    card["versions"]["scikit-learn"] = "1.2.0"
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"saved with scikit-learn 1\.2\.0 .*pip install 'scikit-learn==1\.2\.0'"):
        load_model(path)


@pytest.mark.filterwarnings("ignore:model .* has no card")
def test_a_model_holds_no_scikit_learn_objects_and_loads_under_another_version(small_model, tmp_path, monkeypatch):
    path = tmp_path / "m.joblib"
    monkeypatch.setattr(sklearn.base, "__version__", "1.2.0")
    save_model(small_model, path)
    monkeypatch.undo()
    card_path(path).unlink()
    assert b"sklearn.linear_model" not in path.read_bytes() and b"sklearn.feature_extraction" not in path.read_bytes()
    loaded = load_model(path)
    texts = ["Own the product roadmap.\nInterview customers.", "Run the schedule.\nTrack the budget."]
    assert (loaded.predict_proba(texts) == small_model.predict_proba(texts)).all()


def test_shipped_model_matches_its_card():
    path = shipped_model_path()
    assert path.parent.resolve() == (ROOT / "models").resolve() or path.is_file()
    card = read_card(path)
    assert card is not None and card["sha256"] == sha256_file(path)
    assert path.stat().st_size < 5 * 1024 * 1024


def test_shipped_model_card_describes_training_and_versions():
    card = read_card(shipped_model_path())
    assert card["trained_on"]["file"] == "corpus.csv"
    assert card["training_date"]
    for package in ("scikit-learn", "spacy", "numpy", "python"):
        assert card["versions"][package]
    per_label = card["trained_on"]["documents_per_label_and_kind"]
    assert set(per_label) == {"product", "project", "hybrid", "neither"}
    assert card["statements"]["file"] == "rolecls-statements.csv" and card["statements"]["statements"] > 10_000


def test_tampered_copy_of_shipped_model_is_refused(tmp_path):
    path = tmp_path / "rolecls-model.joblib"
    shutil.copy(shipped_model_path(), path)
    shutil.copy(card_path(shipped_model_path()), card_path(path))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        load_model(path)


def test_model_without_a_card_loads_with_a_warning(small_model, tmp_path):
    from rolecls.errors import ModelWarning

    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    card_path(path).unlink()
    with pytest.warns(ModelWarning, match="no card"):
        load_model(path)
