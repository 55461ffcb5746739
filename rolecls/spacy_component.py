"""rolecls as a spaCy pipeline component: ``nlp.add_pipe("rolecls")`` on any English pipeline.

Registered through the ``spacy_factories`` entry point, so spaCy finds it without an import.
It sets ``doc._.role_label`` (``product``, ``project``, ``hybrid`` or ``neither``), ``doc._.role_scores``,
``doc._.role_mix``, ``doc._.role_evidence`` (the duty statements that decided it: dicts with ``text``,
``start``, ``end``, ``label``, ``weight``), the evidence spans in ``doc.spans["role_evidence"]``,
``doc._.role_notes`` (for example "no product or project management duties found"), and
``doc._.role_skipped`` (the passages not read: dicts with ``text``, ``start``, ``end``, ``reason``).
The text is read as ``rolecls.classify`` reads it, whatever the pipeline's own tokenizer did. All values
are plain data stored on the Doc, so they survive ``nlp.pipe(..., n_process=2)``, which sends Docs
between processes.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

EVIDENCE_SPANS_KEY = "role_evidence"
EXTENSIONS = (
    "role_label",
    "role_scores",
    "role_mix",
    "role_evidence",
    "role_title_disagrees",
    "role_notes",
    "role_skipped",
)


def set_extensions() -> None:
    """Declare the ``Doc._`` attributes the component sets (once per process)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class RoleComponent:
    """Classify each Doc's text with a rolecls model and store the result on the Doc."""

    def __init__(self, model_path: str | None = None, top: int = 10) -> None:
        set_extensions()
        self.model_path = model_path
        self.top = top

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Any, batch_size: int = 64) -> Any:
        """Classify Docs in batches (spaCy calls this from ``nlp.pipe``)."""
        from rolecls.explain import explain
        from rolecls.inference import get_model

        model = get_model(self.model_path)
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._annotate(batch, explain(model, [d.text for d in batch]))
                batch = []
        if batch:
            yield from self._annotate(batch, explain(model, [d.text for d in batch]))

    def _annotate(self, docs: list[Doc], results: list[Any]) -> list[Doc]:
        set_extensions()  # also in worker processes, which may not have run __init__
        for doc, result in zip(docs, results, strict=True):
            evidence = result.evidence[: self.top]
            doc._.role_label = result.label
            doc._.role_scores = dict(result.scores)
            doc._.role_mix = dict(result.mix)
            doc._.role_title_disagrees = result.title_disagrees
            doc._.role_evidence = [p.span() for p in evidence]
            doc._.role_notes = list(result.notes)
            doc._.role_skipped = [asdict(passage) for passage in result.skipped]
            spans = [doc.char_span(p.start, p.end, label=p.label, alignment_mode="expand") for p in evidence]
            doc.spans[EVIDENCE_SPANS_KEY] = [span for span in spans if span is not None]
        return docs


@Language.factory("rolecls", default_config={"model_path": None, "top": 10})
def make_role_classifier(nlp: Language, name: str, model_path: str | None, top: int) -> RoleComponent:
    """Factory for ``nlp.add_pipe("rolecls", config={"model_path": ..., "top": ...})``."""
    return RoleComponent(model_path=model_path, top=top)
