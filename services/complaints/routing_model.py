"""The routing model itself, without the database: fitting, held-out evaluation, and the
stored form.

Features are TF-IDF weights of character 1- to 3-grams of the normalised text (Chinese
needs no word segmentation this way: 供暖, 暖气 and 取暖费 share n-grams). Each head (unit,
category) is a linear classifier, scores X·Wᵀ + b: logistic regression fitted by SGD
(one-vs-rest, probabilities the normalised sigmoids) or complement naive Bayes
(probabilities the softmax). Whichever wins on held-out data is stored the same way: the
weights and which of the two links turns scores into probabilities. (Multinomial logistic
regression with lbfgs ranked no better on the demo and took ten times as long to fit.)

Stored form: a NumPy .npz of plain arrays (the n-gram vocabulary as fixed-width Unicode,
IDF weights, each head's classes, weights and intercepts), read with
allow_pickle=False. Unlike a pickle or joblib blob, reading it runs no code whatever its
bytes say, so a row someone altered in the database can at worst give wrong suggestions,
never run anything in the app; a SHA-256 beside it (RoutingModel.sha256) and the shape
checks in `load` refuse bytes that were damaged or do not fit together. That is why no
HMAC key or skops is needed here."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from services.complaints.duplicates import normalise

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

# scikit-learn (with SciPy) takes over two seconds to import: it is imported where a model is
# fitted or a text is first analysed, not by every page and command that imports this module.

FORMAT = 1
SOFTMAX, OVR_SIGMOID = 0, 1  # how a head's scores become probabilities
NGRAMS = (1, 3)
MAX_FEATURES = 30000
HELD_OUT = 0.1
SEED = 20261126


class UnreadableModel(ValueError):
    """Stored bytes that are not a routing model this app wrote."""


@dataclass(frozen=True)
class Sample:
    text: str
    unit_id: int
    category_id: int


@dataclass(frozen=True)
class Head:
    classes: np.ndarray  # ids (unit or category)
    coef: np.ndarray  # classes x features
    intercept: np.ndarray  # classes
    link: int = SOFTMAX

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        scores = x @ self.coef.T + self.intercept
        if self.link == OVR_SIGMOID:
            p = 1.0 / (1.0 + np.exp(-np.clip(scores, -60, 60)))
        else:
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
        total = p.sum(axis=1, keepdims=True)
        return p / np.where(total > 0, total, 1.0)


@dataclass(frozen=True)
class Model:
    vocabulary: dict[str, int]
    idf: np.ndarray
    unit: Head
    category: Head

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """The same weights as the fitted TfidfVectorizer (sublinear tf, l2 norm)."""
        analyze = _analyzer()
        x = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in analyze(text):
                j = self.vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, n in counts.items():
                x[row, j] = (1.0 + np.log(n)) * self.idf[j]
            norm = np.linalg.norm(x[row])
            if norm > 0:
                x[row] /= norm
        return x

    def rank(self, text: str) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """(units, categories), each as (id, probability), most likely first."""
        x = self.features([text])
        return _ranked(self.unit, x), _ranked(self.category, x)


def _ranked(head: Head, x: np.ndarray) -> list[tuple[int, float]]:
    p = head.probabilities(x)[0]
    order = np.argsort(-p, kind="stable")
    return [(int(head.classes[i]), float(p[i])) for i in order]


def _analyzer():
    return _vectorizer().build_analyzer()


def _vectorizer(max_features: int | None = None) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, preprocessor=normalise,
                           lowercase=False, sublinear_tf=True, min_df=2,
                           max_features=max_features, dtype=np.float32)


# --- fitting --------------------------------------------------------------------------------

def _logistic_sgd():
    from sklearn.linear_model import SGDClassifier

    # A fixed number of passes and a fixed seed: the same complaints give the same model.
    return SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=30, tol=None, random_state=SEED)


def _complement_nb():
    from sklearn.naive_bayes import ComplementNB

    return ComplementNB(alpha=0.3)


CANDIDATES = {"logistic_sgd": _logistic_sgd, "complement_nb": _complement_nb}


def _head(classifier) -> Head:
    from sklearn.naive_bayes import ComplementNB

    link = OVR_SIGMOID
    if isinstance(classifier, ComplementNB):
        # Its predict_proba is the softmax of X·feature_log_prob_ᵀ (no prior with > 1 class).
        coef, intercept = classifier.feature_log_prob_, np.zeros(len(classifier.classes_))
        link = SOFTMAX
    else:
        coef, intercept = classifier.coef_, classifier.intercept_
    if len(classifier.classes_) == 2 and coef.shape[0] == 1:
        # A binary classifier keeps one row: p1 = sigmoid(w·x + b), the softmax of
        # (0, w·x + b).
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([[0.0], intercept])
        link = SOFTMAX
    return Head(np.asarray(classifier.classes_, dtype=np.int64),
                np.asarray(coef, dtype=np.float32), np.asarray(intercept, dtype=np.float32),
                link)


def fit(samples: Sequence[Sample], classifier: str) -> Model:
    if len({s.unit_id for s in samples}) < 2 or len({s.category_id for s in samples}) < 2:
        raise ValueError("at least two units and two categories are needed")
    vectorizer = _vectorizer(MAX_FEATURES)
    x = vectorizer.fit_transform([s.text for s in samples])
    heads = []
    for labels in ([s.unit_id for s in samples], [s.category_id for s in samples]):
        model = CANDIDATES[classifier]()
        model.fit(x, labels)
        heads.append(_head(model))
    vocabulary = {gram: int(j) for gram, j in vectorizer.vocabulary_.items()}
    return Model(vocabulary, vectorizer.idf_.astype(np.float32), heads[0], heads[1])


def split(samples: Sequence[Sample], share: float = HELD_OUT,
          seed: int = SEED) -> tuple[list[Sample], list[Sample]]:
    """(train, held out), stratified by unit: each unit gives the same share (rounded) of
    its complaints, so rare units are in both parts where they can be."""
    rng = random.Random(seed)
    by_unit: dict[int, list[Sample]] = {}
    for s in samples:
        by_unit.setdefault(s.unit_id, []).append(s)
    train, test = [], []
    for unit_id in sorted(by_unit):
        group = list(by_unit[unit_id])
        rng.shuffle(group)
        k = round(len(group) * share) if len(group) >= 3 else 0
        test += group[:k]
        train += group[k:]
    return train, test


@dataclass(frozen=True)
class Scores:
    n_train: int
    n_test: int
    unit_top1: float
    unit_top3: float
    category: float
    baseline_unit_top1: float  # always the most frequent unit of the training part
    baseline_unit_top3: float  # always its three most frequent units
    baseline_category: float

    def as_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v)
                for k, v in self.__dict__.items()}


def score(model: Model, train: Sequence[Sample], test: Sequence[Sample]) -> Scores:
    x = model.features([s.text for s in test])
    p_unit = model.unit.probabilities(x)
    top = np.argsort(-p_unit, axis=1, kind="stable")[:, :3]
    truth = np.array([s.unit_id for s in test])
    top_ids = model.unit.classes[top]
    p_cat = model.category.probabilities(x)
    cat_pred = model.category.classes[p_cat.argmax(axis=1)]
    cat_truth = np.array([s.category_id for s in test])
    frequent = _most_frequent([s.unit_id for s in train])
    frequent_cat = _most_frequent([s.category_id for s in train])[0]
    n = max(1, len(test))
    return Scores(
        n_train=len(train), n_test=len(test),
        unit_top1=float((top_ids[:, 0] == truth).mean()) if len(test) else 0.0,
        unit_top3=float((top_ids == truth[:, None]).any(axis=1).mean()) if len(test) else 0.0,
        category=float((cat_pred == cat_truth).mean()) if len(test) else 0.0,
        baseline_unit_top1=sum(s.unit_id == frequent[0] for s in test) / n,
        baseline_unit_top3=sum(s.unit_id in frequent[:3] for s in test) / n,
        baseline_category=sum(s.category_id == frequent_cat for s in test) / n,
    )


def _most_frequent(labels: Sequence[int]) -> list[int]:
    counts: dict[int, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


@dataclass(frozen=True)
class Trained:
    model: Model  # fitted on every sample
    classifier: str
    scores: Scores  # of the same classifier fitted on nine tenths, on the tenth held out
    candidates: dict[str, float]  # validation top-3 unit accuracy of each candidate


def train(samples: Sequence[Sample], seed: int = SEED) -> Trained:
    """Chooses the classifier on a validation part of the training nine tenths (never on
    the held-out tenth), scores it on the held-out tenth, then fits it on everything."""
    train_part, test = split(samples, seed=seed)
    fit_part, validation = split(train_part, seed=seed + 1)
    candidates = {}
    for name in CANDIDATES:
        if validation:
            s = score(fit(fit_part, name), fit_part, validation)
            candidates[name] = round(s.unit_top3 + s.unit_top1, 4)
        else:
            candidates[name] = 0.0
    best = max(CANDIDATES, key=lambda name: candidates[name])
    scores = score(fit(train_part, best), train_part, test)
    return Trained(fit(samples, best), best, scores, candidates)


# --- stored form ----------------------------------------------------------------------------


def dump(model: Model) -> bytes:
    grams = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer, format=np.array([FORMAT, *NGRAMS]), vocabulary=np.array(grams, dtype="<U3"),
        idf=model.idf, unit_classes=model.unit.classes, unit_coef=model.unit.coef,
        unit_intercept=model.unit.intercept, unit_link=np.array(model.unit.link),
        category_classes=model.category.classes, category_coef=model.category.coef,
        category_intercept=model.category.intercept,
        category_link=np.array(model.category.link),
    )
    return buffer.getvalue()


def digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def load(blob: bytes, sha256: str) -> Model:
    """The model in `blob`, or UnreadableModel. Never unpickles (see the module's note)."""
    if digest(blob) != sha256:
        raise UnreadableModel("checksum")
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        # Not a zip, or an array in it that does not parse (a pickled object among them).
        raise UnreadableModel("format") from err
    try:
        fmt = arrays["format"]
        if fmt.tolist() != [FORMAT, *NGRAMS]:
            raise UnreadableModel("version")
        grams = arrays["vocabulary"]
        idf = arrays["idf"].astype(np.float32)
        heads = [Head(arrays[f"{h}_classes"].astype(np.int64),
                      arrays[f"{h}_coef"].astype(np.float32),
                      arrays[f"{h}_intercept"].astype(np.float32),
                      int(arrays[f"{h}_link"]))
                 for h in ("unit", "category")]
    except (KeyError, TypeError, ValueError) as err:
        raise UnreadableModel("format") from err
    if grams.dtype.kind != "U" or idf.shape != grams.shape or idf.ndim != 1:
        raise UnreadableModel("shape")
    for head in heads:
        n = len(head.classes)
        if head.link not in (SOFTMAX, OVR_SIGMOID):
            raise UnreadableModel("format")
        if n < 2 or head.coef.shape != (n, len(idf)) or head.intercept.shape != (n,):
            raise UnreadableModel("shape")
        if not (np.isfinite(head.coef).all() and np.isfinite(head.intercept).all()):
            raise UnreadableModel("values")
    vocabulary = {str(g): j for j, g in enumerate(grams.tolist())}
    if len(vocabulary) != len(grams):
        raise UnreadableModel("shape")
    return Model(vocabulary, idf, heads[0], heads[1])
