"""The pain-point taxonomy, read from data/taxonomy.yaml (nothing hard-codes the list)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True)
class PainPoint:
    key: str
    label: str
    definition: str
    examples: dict[str, list[str]] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Taxonomy:
    pain_points: tuple[PainPoint, ...]

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.pain_points]

    def __getitem__(self, key: str) -> PainPoint:
        for point in self.pain_points:
            if point.key == key:
                return point
        raise KeyError(key)


def load_taxonomy(path: Path) -> Taxonomy:
    """Read a taxonomy file; errors name the file and what is missing."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the taxonomy: {exc}") from exc
    points = (data or {}).get("pain_points")
    if not isinstance(points, dict) or not points:
        raise ValueError(f"{path}: no 'pain_points' mapping")
    parsed = []
    for key, spec in points.items():
        if not isinstance(spec, dict) or "definition" not in spec:
            raise ValueError(f"{path}: pain point {key!r} needs at least a definition")
        parsed.append(PainPoint(key=key, label=spec.get("label", key), definition=spec["definition"],
                                examples=spec.get("examples", {}), keywords=spec.get("keywords", {})))
    return Taxonomy(tuple(parsed))
