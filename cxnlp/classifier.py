"""The entry class: ``FeedbackClassifier`` with fit / predict / predict_proba / save / load."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from cxnlp.errors import DataError, NotFittedError
from cxnlp.language import detect_language
from cxnlp.preprocessing import has_content, normalize
from cxnlp.results import STATUS_EMPTY, Prediction
from cxnlp.taxonomy import Taxonomy

if TYPE_CHECKING:
    from cxnlp.train.data import TrainingData


def _as_text(value: Any, row: int) -> str:
    """The text of one input, '' for a missing value; anything else that is not a string is an error."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if not isinstance(value, str):
        raise DataError(f"expected a string, found {type(value).__name__} ({value!r:.40})", row=row, field="text")
    return value


class FeedbackClassifier:
    """Classify customer feedback into the groups of a taxonomy (by default sentiment, CX themes, leave drivers).

    Hyperparameters are stored as given; learned state ends in ``_``. ``fit`` returns ``self``.
    """

    def __init__(self, encoder: str = "lexical", taxonomy: Taxonomy | None = None, *, C: float = 4.0,
                 cv_folds: int = 5, seed: int = 0, encoder_options: Mapping[str, Any] | None = None,
                 batch_size: int = 256, class_weight: str | None = None):
        self.encoder = encoder
        self.taxonomy = taxonomy
        self.C = C
        self.cv_folds = cv_folds
        self.seed = seed
        self.encoder_options = dict(encoder_options or {})
        self.batch_size = batch_size
        self.class_weight = class_weight

    # -- training -------------------------------------------------------------------------------
    def fit(self, X: Sequence[str] | TrainingData | Any, y: Sequence[Mapping[str, Any]] | None = None) -> FeedbackClassifier:
        """Fit on texts and labels.

        ``X`` is a list of texts with ``y`` a list of ``{group: label or [labels]}`` dicts, or one object
        holding both: a ``TrainingData``, a ``datasets.Dataset``, a pandas DataFrame or a file path.
        """
        from cxnlp.encoders import make_encoder
        from cxnlp.heads import fit_heads
        from cxnlp.train.data import TrainingData, as_training_data

        data = X if isinstance(X, TrainingData) and y is None else as_training_data(X, y, taxonomy=self.taxonomy)
        texts = [normalize(t) for t in data.texts]
        langs = [detect_language(t) for t in texts]
        fine_tuning = None
        if self.encoder == "transformer":  # fine-tune the encoder itself; heads come out of the same training
            from cxnlp.transformer.finetune import FineTuneConfig, fine_tune

            cfg = FineTuneConfig.from_options({"seed": self.seed, **self.encoder_options})
            normalised = TrainingData(texts, data.labels, data.taxonomy, data.ids)
            self.encoder_, self.heads_, self.history_ = fine_tune(normalised, cfg)
            fine_tuning = self.history_
        else:
            encoder = make_encoder(self.encoder, **self.encoder_options).fit(texts, langs)
            features = encoder.transform(texts, langs)
            self.heads_ = fit_heads(features, data.targets(), data.taxonomy, C=self.C, cv_folds=self.cv_folds,
                                    seed=self.seed, class_weight=self.class_weight)
            self.encoder_ = encoder
        self.taxonomy_ = data.taxonomy
        self.training_info_ = {"n_train": len(texts), "data_hash": data.digest(),
                               "languages": {k: langs.count(k) for k in sorted(set(langs))}}
        if fine_tuning is not None:
            self.training_info_["fine_tuning"] = fine_tuning
        self.metrics_: dict[str, Any] | None = None
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "heads_"):
            raise NotFittedError("this FeedbackClassifier is not fitted; call fit() or cxnlp.load() first")

    @property
    def label_names(self) -> list[str]:
        """Column order of ``predict_proba``."""
        self._check_fitted()
        return self.taxonomy_.label_names

    # -- inference ------------------------------------------------------------------------------
    def _prepare(self, texts: Iterable[Any]) -> tuple[list[str], list[bool], list[str | None]]:
        norm = [normalize(_as_text(t, i + 1)) for i, t in enumerate(texts)]
        ok = [has_content(t) for t in norm]
        langs = [detect_language(t) if o else None for t, o in zip(norm, ok)]
        return norm, ok, langs

    def _group_proba(self, norm: list[str], ok: list[bool], langs: list[str | None]) -> dict[str, np.ndarray]:
        idx = [i for i, o in enumerate(ok) if o]
        out = {g.name: np.full((len(norm), len(g.labels)), np.nan) for g in self.taxonomy_}
        for start in range(0, len(idx), self.batch_size):
            rows = idx[start : start + self.batch_size]
            X = self.encoder_.transform([norm[i] for i in rows], [langs[i] for i in rows])
            for name, p in self.heads_.predict_proba(X).items():
                out[name][rows] = p
        return out

    def predict_proba(self, texts: Sequence[Any]) -> np.ndarray:
        """Probabilities, shape (n_texts, n_labels), columns in ``label_names`` order.

        Single-label groups' columns sum to 1 per row. Rows of empty texts are NaN.
        """
        self._check_fitted()
        if isinstance(texts, str):
            texts = [texts]
        probs = self._group_proba(*self._prepare(texts))
        return np.hstack([probs[g.name] for g in self.taxonomy_])

    @overload
    def predict(self, texts: str, ids: None = None) -> Prediction: ...
    @overload
    def predict(self, texts: Sequence[Any], ids: Sequence[Any] | None = None) -> list[Prediction]: ...

    def predict(self, texts: Any, ids: Sequence[Any] | None = None) -> Prediction | list[Prediction]:
        """Classify one text (returns a ``Prediction``) or a sequence of texts (returns a list, in order)."""
        self._check_fitted()
        one = isinstance(texts, str)
        batch = [texts] if one else list(texts)
        if ids is not None and len(ids) != len(batch):
            raise DataError(f"got {len(batch)} texts but {len(ids)} ids")
        norm, ok, langs = self._prepare(batch)
        probs = self._group_proba(norm, ok, langs)
        decided = {g.name: self.heads_.heads[g.name].decide(np.nan_to_num(probs[g.name])) for g in self.taxonomy_}
        out = []
        for i in range(len(batch)):
            rid = None if ids is None else ids[i]
            if not ok[i]:
                empty = {g.name: (() if g.is_multi else None) for g in self.taxonomy_}
                out.append(Prediction(None, empty, {}, STATUS_EMPTY, id=rid))
                continue
            labels = {g.name: decided[g.name][i] for g in self.taxonomy_}
            scores = {lab: float(p) for g in self.taxonomy_ for lab, p in zip(g.label_names, probs[g.name][i])}
            out.append(Prediction(langs[i], labels, scores, id=rid))
        return out[0] if one else out

    # -- persistence ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model directory (JSON + .npz, no pickle) and a model card; returns its path."""
        from cxnlp.artifacts import write_json
        from cxnlp.card import render_card
        from cxnlp.persistence import read_model_files, write_model_files

        self._check_fitted()
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        self.encoder_.save(directory / "encoder")
        self.heads_.save(directory / "heads")
        config = {"encoder": self.encoder_.name,
                  "classifier": {"family": self.encoder, "C": self.C, "cv_folds": self.cv_folds, "seed": self.seed,
                                 "class_weight": self.class_weight,
                                 "encoder_options": self.encoder_options, "batch_size": self.batch_size}}
        write_model_files(directory, config=config, taxonomy=self.taxonomy_, extra_meta={"training": self.training_info_})
        if self.metrics_ is not None:
            write_json(directory / "metrics.json", self.metrics_)
        meta, _, _ = read_model_files(directory)
        (directory / "README.md").write_text(render_card(meta, config, self.taxonomy_, self.metrics_), encoding="utf-8")
        return directory

    @classmethod
    def load(cls, path: str | Path | None = None) -> FeedbackClassifier:
        """Load a model directory, or a bundled model by name; ``None`` loads the bundled default."""
        from cxnlp.artifacts import read_json
        from cxnlp.encoders import load_encoder
        from cxnlp.heads import LinearHeads
        from cxnlp.persistence import read_model_files, resolve_model_path

        directory = resolve_model_path(path)
        meta, config, taxonomy = read_model_files(directory)
        settings = config["classifier"]
        clf = cls(encoder=settings.get("family", config["encoder"].split("/")[0]), taxonomy=taxonomy, C=settings.get("C", 4.0),
                  cv_folds=settings.get("cv_folds", 5), seed=settings.get("seed", 0),
                  encoder_options=settings.get("encoder_options"), batch_size=settings.get("batch_size", 256),
                  class_weight=settings.get("class_weight", "balanced"))  # cxnlp < 0.2 always balanced
        clf.encoder_ = load_encoder(config["encoder"], directory / "encoder")
        clf.heads_ = LinearHeads.load(directory / "heads", taxonomy, clf.encoder_.dim)
        clf.taxonomy_ = taxonomy
        clf.training_info_ = meta.get("training", {})
        metrics = directory / "metrics.json"
        clf.metrics_ = read_json(metrics) if metrics.is_file() else None
        clf.path_ = directory
        return clf

    def __repr__(self) -> str:
        state = f"{len(self.taxonomy_.groups)} groups" if hasattr(self, "taxonomy_") else "not fitted"
        return f"FeedbackClassifier(encoder={self.encoder!r}, {state})"


def load(path: str | Path | None = None) -> FeedbackClassifier:
    """Load a model: ``cxnlp.load()`` for the bundled default, ``cxnlp.load(DIR)`` for your own."""
    return FeedbackClassifier.load(path)
