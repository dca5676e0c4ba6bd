"""Draw items from the real corpora in ../shared/data for people to label.

Writes batch files OUTSIDE the repository (they hold third-party text): one JSON object per
line with the item's source name, declared language, how it was picked, and its text. Readers
label each item in full; only the labels (by source name, no text) enter data/labels/.

  python tools/sample_real.py --corpus twcs --random 300 --targeted 200 --out /tmp/batches --seed 1

Picks are reproducible (seeded). `random`: uniform among the corpus's distinct texts (copies of
one text count once). `targeted`: among the rest, texts matching a broad service-cue regular
expression for the language, recorded as "targeted: keyword service-cues-<lang>". Texts that
are copies of a reserved corpus's texts are never drawn for a training corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.classify.corpora import CORPORA, RESERVED, fingerprint, read_corpus, reserved_fingerprints  # noqa: E402

SERVICE_CUES = {
    "en": r"\bhold\b|queue|\bwait|hours?\b|minutes|call(ed|ing)? ?back|transfer|again|repeat|explain|supervisor|"
          r"manager|escalat|not allowed|policy|rude|hung up|care|\bapp\b|website|online|chat|\bbot\b|automated|"
          r"press \d|menu|option|agent|\brep\b|representative|no ?one|nobody|don'?t know|no idea|clueless|"
          r"charged for|premium|customer service|support",
    "fr": r"attente|attend|file|queue|t[ée]l[ée]phone|r[ée]pond|rappel|d[ée]croch|appli|site|guichet|\bgab\b|"
          r"distributeur|personnel|agent|conseill|accueil|m[ée]pris|impoli|d[ée]sagr[ée]able|directeur|responsable|"
          r"incomp[ée]ten|transf[ée]r|r[ée]p[ée]t|serveur vocal|tapez|service client|heure",
    "ru": r"ждал|жду|ожидан|очеред|оператор|колл|звон|дозвон|приложени|сайт|\bбот|робот|поддержк|хам|грубо|"
          r"некомпетент|переключ|повтор|менеджер|отделени|нажмите|горяч|линии|сотрудник",
}


def draw(root: Path, corpus: str, n_random: int, n_targeted: int, seed: int, lang: str | None) -> list[dict]:
    items = list(read_corpus(root, corpus).values())
    if lang:
        items = [i for i in items if i.lang == lang]
    banned = set() if corpus in RESERVED else set(reserved_fingerprints(root))
    distinct: dict[str, object] = {}
    for item in items:
        fp = fingerprint(item.text)
        if fp and fp not in banned and fp not in distinct:
            distinct[fp] = item
    pool = list(distinct.values())
    rng = random.Random(f"{seed}:{corpus}:{lang}")
    rng.shuffle(pool)
    picked = [(i, "random") for i in pool[:n_random]]
    rest = pool[n_random:]
    cue_lang = lang or (items[0].lang if items else "en")
    cues = re.compile(SERVICE_CUES.get(cue_lang, SERVICE_CUES["en"]), re.I)
    matching = [i for i in rest if cues.search(i.text)]
    picked += [(i, f"targeted: keyword service-cues-{cue_lang}") for i in matching[:n_targeted]]
    return [{"id": i.source, "lang": i.lang, "sampling": how, "text": i.text} for i, how in picked]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, choices=sorted(CORPORA))
    parser.add_argument("--random", type=int, default=0, help="items drawn uniformly")
    parser.add_argument("--targeted", type=int, default=0, help="items drawn among texts with service cues")
    parser.add_argument("--lang", help="only items the corpus declares in this language (keytrade)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True, help="folder for the batch file (outside the repository)")
    args = parser.parse_args(argv)
    rows = draw(args.root, args.corpus, args.random, args.targeted, args.seed, args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    name = args.corpus + (f"_{args.lang}" if args.lang else "")
    path = args.out / f"{name}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {sum(r['sampling'] == 'random' for r in rows)} random, "
          f"{sum(r['sampling'] != 'random' for r in rows)} targeted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
