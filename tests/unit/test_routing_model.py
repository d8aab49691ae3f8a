"""The stored routing model answers exactly as the scikit-learn objects it came from: its
own n-gram weights and probabilities are theirs, before and after storing."""

from __future__ import annotations

import numpy as np
import pytest

from services.complaints import routing_model as rm

TEXTS = [
    ("暖气不热，家里只有十二度", 1, 10), ("取暖费多收了两百元", 1, 20), ("暖气片漏水没人修", 1, 10),
    ("供热站态度很差", 1, 30), ("停电也不通知", 2, 10), ("电费突然翻倍", 2, 20),
    ("电表坏了报修三天没人来", 2, 10), ("供电所电工说话难听", 2, 30),
    ("医生看病三分钟就打发", 3, 30), ("住院清单多收检查费", 3, 20), ("挂号排队两个小时", 3, 10),
    ("护士态度很凶", 3, 30),
] * 2


@pytest.mark.parametrize("name", list(rm.CANDIDATES))
def test_stored_model_gives_the_same_weights_and_probabilities(name):
    samples = [rm.Sample(*row) for row in TEXTS]
    texts = [s.text for s in samples]
    model = rm.fit(samples, name)
    vectorizer = rm._vectorizer(rm.MAX_FEATURES).fit(texts)
    expected_x = vectorizer.transform(texts).toarray()
    np.testing.assert_allclose(model.features(texts), expected_x, atol=1e-5)
    for head, labels in ((model.unit, [s.unit_id for s in samples]),
                         (model.category, [s.category_id for s in samples])):
        classifier = rm.CANDIDATES[name]().fit(vectorizer.transform(texts), labels)
        np.testing.assert_allclose(head.probabilities(expected_x.astype(np.float32)),
                                   classifier.predict_proba(expected_x), atol=1e-4)
    blob = rm.dump(model)
    again = rm.load(blob, rm.digest(blob))
    units, categories = again.rank("暖气不热")
    assert units == model.rank("暖气不热")[0] and units[0][0] == 1
    assert len(categories) == 3


def test_bytes_that_are_not_a_model_are_refused():
    for blob in (b"", b"PK\x03\x04broken", b"not a model at all"):
        with pytest.raises(rm.UnreadableModel):
            rm.load(blob, rm.digest(blob))
    good = rm.dump(rm.fit([rm.Sample(*row) for row in TEXTS], "complement_nb"))
    with pytest.raises(rm.UnreadableModel):
        rm.load(good, rm.digest(good + b"x"))
