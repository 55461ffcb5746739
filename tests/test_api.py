"""The Python API a developer imports."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import rolecls
from rolecls.errors import InputError, LanguageWarning


def test_classify_can_be_called_again_and_imported_by_name():
    first = rolecls.classify("Own the product roadmap and interview customers every week.")
    second = rolecls.classify("Manage the schedule, the budget and the risk register.")
    from rolecls import classify

    assert callable(classify) and classify is rolecls.classify
    assert first.label == "product" and second.label == "project"


def test_result_converts_to_dict_and_json():
    result = rolecls.classify("Track milestones and report status to the steering committee.", source="s.txt")
    as_dict = result.to_dict()
    assert as_dict["source"] == "s.txt" and set(as_dict["scores"]) == {"product", "project", "hybrid"}
    assert json.loads(result.to_json()) == as_dict


def test_classify_many_names_the_empty_text():
    with pytest.raises(InputError, match="text 1: the text is empty"):
        rolecls.classify_many(["Own the roadmap", "   "])


def test_a_loaded_model_can_be_passed_in():
    model = rolecls.load_model()
    results = rolecls.classify_many(["Own pricing", "Run the RAID log"], model=model)
    assert [r.label for r in results] == ["product", "project"]


def test_public_names_are_listed():
    assert {"classify", "classify_many", "load_model", "RoleClassifier", "Classification"} <= set(dir(rolecls))


def test_import_rolecls_stays_light():
    import subprocess
    import sys

    code = "import sys, rolecls; print(sorted(m for m in ('spacy', 'sklearn', 'pandas', 'joblib') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_text_without_known_responsibilities_is_low_confidence():
    result = rolecls.classify("Product Owner")
    assert result.evidence == [] and result.low_confidence is True
    assert "prior" in result.notes[0]


def test_long_text_says_it_was_cut():
    import warnings

    from rolecls.errors import TruncationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = rolecls.classify("Own the product roadmap and interview customers. " * 3000)
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


def test_the_preprocessing_pipeline_runs_in_several_processes():
    from rolecls.preprocess import build_pipeline, masked_tokens

    texts = ["As Senior Product Manager, own the roadmap &amp; pricing.", "Track the budget."] * 2
    nlp = build_pipeline()
    single = [(sorted(masked_tokens(d)), [s.text for s in d.sents]) for d in nlp.pipe(texts)]
    multi = [(sorted(masked_tokens(d)), [s.text for s in d.sents]) for d in nlp.pipe(texts, n_process=2)]
    assert multi == single and single[0][0]


def test_batch_scoring_functions_are_exported():
    import pandas as pd

    frame = rolecls.score_frame(pd.DataFrame({"text": ["Own the product roadmap and interview customers."]}), ["text"])
    assert frame.label.tolist() == ["product"]
    assert callable(rolecls.score_file) and {"score_file", "score_frame"} <= set(dir(rolecls))


def test_a_title_alone_does_not_disagree_with_anything():
    result = rolecls.classify("Senior Product Manager")
    assert result.low_confidence and not result.evidence
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
        rolecls.classify_many(["Own the roadmap and talk to customers.", german])
    assert str(one[0].message).startswith("text: ") and str(many[0].message).startswith("text 1: ")
    assert one[0].filename == many[0].filename == __file__
