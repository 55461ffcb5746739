"""The Python API a developer imports."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import rolecls
from rolecls.errors import InputError, LanguageWarning

PRODUCT = "Own the product roadmap.\nInterview customers every week.\nDefine pricing and packaging for new plans."
PROJECT = "Manage the project schedule and budget.\nRun the risk register.\nReport status to the steering committee."


def test_classify_can_be_called_again_and_imported_by_name():
    first = rolecls.classify(PRODUCT)
    second = rolecls.classify(PROJECT)
    from rolecls import classify

    assert callable(classify) and classify is rolecls.classify
    assert first.label == "product" and second.label == "project"


def test_result_converts_to_dict_and_json():
    result = rolecls.classify(PROJECT, source="s.txt")
    as_dict = result.to_dict()
    assert as_dict["source"] == "s.txt" and set(as_dict["scores"]) == {"product", "project", "hybrid", "neither"}
    assert json.loads(result.to_json()) == as_dict


def test_classify_many_names_the_empty_text():
    with pytest.raises(InputError, match="text 1: the text is empty"):
        rolecls.classify_many(["Own the roadmap", "   "])


def test_a_loaded_model_can_be_passed_in():
    model = rolecls.load_model()
    results = rolecls.classify_many([PRODUCT, PROJECT], model=model)
    assert [r.label for r in results] == ["product", "project"]


def test_public_names_are_listed():
    assert {"classify", "classify_many", "load_model", "RoleClassifier", "Classification"} <= set(dir(rolecls))


def test_import_rolecls_stays_light():
    import subprocess
    import sys

    code = "import sys, rolecls; print(sorted(m for m in ('spacy', 'sklearn', 'pandas', 'joblib') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_a_text_without_management_duties_is_neither_and_says_so():
    for text in ("Product Owner", "Assess patients, give medicines and record observations on a busy ward."):
        result = rolecls.classify(text)
        assert result.label == "neither" and result.evidence == []
        assert result.notes == ["no product or project management duties found"] and not result.low_confidence


def test_a_model_that_cannot_say_neither_is_low_confidence_without_duties(corpus):
    sample = corpus[corpus.label != "neither"].groupby("label").sample(40, random_state=0)
    model = rolecls.RoleClassifier().fit(sample.text.tolist(), sample.label.tolist())
    result = rolecls.classify("Product Owner", model=model)
    assert "neither" not in result.scores and result.evidence == [] and result.low_confidence is True
    assert "prior" in result.notes[0]


def test_long_text_says_it_was_cut():
    import warnings

    from rolecls.errors import TruncationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = rolecls.classify("Own the product roadmap and interview customers.\n" * 3000)
    assert any(issubclass(w.category, TruncationWarning) for w in caught)
    assert "only the first" in result.notes[0] and result.low_confidence is False


def test_classify_many_in_parallel_matches_one_process(corpus):
    texts = corpus.text.head(140).tolist()
    single = rolecls.classify_many(texts)
    parallel = rolecls.classify_many(texts, n_jobs=2)
    assert [r.to_dict() for r in parallel] == [r.to_dict() for r in single]


def test_parallel_scoring_and_parallel_classifying_share_one_process(tmp_path, corpus):
    from rolecls.scoring import score_file

    texts = corpus.text.head(140).tolist()
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "in.csv", index=False)
    score_file(tmp_path / "in.csv", tmp_path / "out.csv", jobs=2, chunk_size=20, progress=False)
    parallel = rolecls.classify_many(texts, n_jobs=2)
    assert [r.label for r in parallel] == pd.read_csv(tmp_path / "out.csv").label.tolist()


def test_batch_scoring_functions_are_exported():
    import pandas as pd

    frame = rolecls.score_frame(pd.DataFrame({"text": [PRODUCT]}), ["text"])
    assert frame.label.tolist() == ["product"]
    assert callable(rolecls.score_file) and {"score_file", "score_frame"} <= set(dir(rolecls))


def test_a_title_alone_does_not_disagree_with_anything():
    result = rolecls.classify("Senior Product Manager")
    assert result.label == "neither" and not result.evidence
    assert result.title_label == "product" and result.title_disagrees is False


def test_classify_refuses_what_is_not_text():
    with pytest.raises(TypeError, match="texts \\(str\\), not NoneType"):
        rolecls.classify(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="list of texts"):
        rolecls.classify_many("Own the roadmap")


def test_a_warning_names_the_text_and_points_at_the_callers_line():
    german = (
        "Der Produktmanager ist für die Roadmap verantwortlich und arbeitet mit dem Team an der Strategie "
        "für unsere Kunden in Berlin und München jeden Tag und jede Woche."
    )
    with pytest.warns(LanguageWarning) as one:
        rolecls.classify(german)
    with pytest.warns(LanguageWarning) as many:
        rolecls.classify_many([PRODUCT, german])
    assert str(one[0].message).startswith("text: ") and str(many[0].message).startswith("text 1: ")
    assert one[0].filename == many[0].filename == __file__
