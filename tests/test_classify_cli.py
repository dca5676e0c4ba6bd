"""voc train / classify / evaluate end to end on a small hand-written label set."""

import json

import pytest

from pipelines.classify.taxonomy import load_taxonomy
from pipelines.store import Warehouse
from tests.conftest import ROOT, SAMPLES, use_site
from voc.cli import main

ITEMS = [
    ("On hold for an hour again, nobody picks up", "negative", ["long_wait"]),
    ("J'ai attendu deux heures au téléphone", "negative", ["long_wait"]),
    ("חיכיתי שעה על הקו", "negative", ["long_wait"]),
    ("Час висел на линии", "negative", ["long_wait"]),
    ("The app crashes every time I pay", "negative", ["self_service"]),
    ("L'appli plante au paiement", "negative", ["self_service"]),
    ("האפליקציה נתקעת בתשלום", "negative", ["self_service"]),
    ("Приложение вылетает при оплате", "negative", ["self_service"]),
    ("Great service, thank you!", "positive", []),
    ("Merci, très bon accueil", "positive", []),
    ("שירות מעולה, תודה", "positive", []),
    ("Спасибо, отличный сервис", "positive", []),
    ("What time do you open?", "neutral", []),
    ("Quels sont vos horaires ?", "neutral", []),
    ("מה שעות הפתיחה?", "neutral", []),
    ("Какие часы работы?", "neutral", []),
]


def _write_labels(path, items, prefix):
    path.parent.mkdir(parents=True, exist_ok=True)
    langs = ["en", "fr", "he", "ru"]
    with open(path, "w", encoding="utf-8") as out:
        for n, (text, sentiment, points) in enumerate(items):
            out.write(json.dumps({"id": f"{prefix}{n}", "text": text, "lang": langs[n % 4], "sentiment": sentiment,
                                  "pain_points": points, "source": "team", "annotator": "t"}, ensure_ascii=False) + "\n")


def write_tiny_training(base) -> None:
    """Label files (train, test) and a training config for a tiny model under `base`."""
    taxonomy = load_taxonomy(ROOT / "data" / "taxonomy.yaml")
    # every pain point needs a few examples for the tiny model to train on
    extra = [(f"example of {key.replace('_', ' ')} number {k}", "negative", [key]) for key in taxonomy.keys for k in range(3)]
    _write_labels(base / "labels" / "train" / "a.jsonl", ITEMS * 3 + extra, "tr")
    _write_labels(base / "labels" / "test" / "a.jsonl", ITEMS, "te")
    (base / "train.toml").write_text(
        'name = "tiny"\nscorer = "tfidf_logreg.v1"\nthreshold_folds = 3\n'
        f'train = ["{base}/labels/train"]\ntest = ["{base}/labels/test"]\n'
        f'taxonomy = "{ROOT}/data/taxonomy.yaml"\n[scorer_params]\nmin_df = 1\n')


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tiny_training(tmp_path)
    (tmp_path / "voc.toml").write_text(
        f'[warehouse]\npath = "{tmp_path}/voc.duckdb"\n[ingest]\nmappings = "{ROOT}/data/mappings"\n'
        f'[models]\ndir = "{tmp_path}/models"\n[taxonomy]\npath = "{ROOT}/data/taxonomy.yaml"\n'
        f'[classify]\nworkers = 1\n[evaluation]\nshared_data = "{tmp_path}/no-shared-data"\n')
    use_site(monkeypatch, tmp_path)
    return tmp_path


def test_train_writes_a_model_folder_and_promotes_the_first(project, capsys):
    assert main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"]) == 0
    folder = project / "models" / "tiny-1"
    for name in ("model.json", "scorer.joblib", "config.json", "metrics.json", "MODEL_CARD.md"):
        assert (folder / name).is_file(), name
    assert (project / "models" / "PRODUCTION").read_text().strip() == "tiny-1"
    card = (folder / "MODEL_CARD.md").read_text()
    assert "Held-out test split" in card and "Targets" in card and "scikit-learn" in card
    assert main(["train", "--config", str(project / "train.toml"), "--version", "tiny-2"]) == 0
    assert (project / "models" / "PRODUCTION").read_text().strip() == "tiny-1"
    assert main(["train", "--config", str(project / "train.toml"), "--version", "tiny-2"]) == 2


def test_classify_the_samples_then_nothing_twice(project, capsys):
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"])
    main(["ingest", str(SAMPLES)])
    capsys.readouterr()
    assert main(["classify", "--batch-size", "50"]) == 0
    assert "classified" in capsys.readouterr().out
    with Warehouse(project / "voc.duckdb", read_only=True) as wh:
        feedback = wh.query("SELECT count(*) FROM items WHERE kind = 'feedback'")[0][0]
        assert wh.query("SELECT count(*), count(DISTINCT item_id), min(model_version), max(model_version) "
                        "FROM predictions") == [(feedback, feedback, "tiny-1", "tiny-1")]
        languages = {r[0] for r in wh.query("SELECT DISTINCT language FROM prepared")}
        assert {"en", "fr", "he", "ru"} <= languages
        assert wh.query("SELECT count(*) FROM prepared WHERE text_clean LIKE '%@example.com%'") == [(0,)]
        spans = wh.query("SELECT spans FROM predictions WHERE len(pain_points) > 0 LIMIT 1")[0][0]
        assert {"pain_point", "start", "end", "sentiment", "sentiment_score"} <= set(json.loads(spans)[0])
    assert main(["classify"]) == 0
    assert "classified 0" in capsys.readouterr().out


def test_a_new_model_adds_predictions_and_keeps_the_old(project, capsys):
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"])
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-2"])
    main(["ingest", str(SAMPLES / "survey")])
    main(["classify"])
    main(["classify", "--model", "tiny-2"])
    with Warehouse(project / "voc.duckdb", read_only=True) as wh:
        per_model = dict(wh.query("SELECT model_version, count(*) FROM predictions GROUP BY 1"))
        assert per_model["tiny-1"] == per_model["tiny-2"] > 0
        assert wh.query("SELECT count(DISTINCT item_id) = count(*) FROM prepared") == [(True,)]


def test_evaluate_json_has_the_documented_keys(project, capsys):
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"])
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(project / "labels" / "test" / "a.jsonl"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == len(ITEMS)
    assert 0 <= report["pain_points"]["macro_f1"] <= 1
    assert "f1" in report["pain_points"]["per_label"]["long_wait"]
    assert {"accuracy", "macro_f1"} <= set(report["sentiment"])
    for lang in ("en", "fr", "he", "ru"):
        assert "macro_f1" in report["by_language"][lang]["pain_points"]
        assert "macro_f1" in report["by_language"][lang]["sentiment"]
    assert report["baselines"]["keywords"]["by_language"]["he"]["pain_points"]["n"] == 4
    assert report["baselines"]["vader"]["sentiment"]["n"] == 4  # English only


def test_evaluate_survives_a_messy_gold_file(project, capsys):
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"])
    gold = project / "messy.jsonl"
    gold.write_text('{"id": "1", "text": "on hold for hours", "sentiment": "negative", "pain_points": ["long_wait"]}\n'
                    'garbage\n{"id": "2", "text": "merci beaucoup", "sentiment": "positive"}\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(gold), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 2 and report["pain_points"]["n"] == 1 and set(report["by_language"]) == {"en", "fr"}


def test_classify_without_a_model_says_how_to_get_one(project, capsys):
    assert main(["classify"]) == 2
    assert "voc train --config" in capsys.readouterr().err


def test_dutch_feedback_lands_counted_as_other_and_is_not_scored(project, capsys, tmp_path):
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"])
    book = tmp_path / "book.csv"
    book.write_text("id,date,complaint\n"
                    "1,2026-10-02,\"Zeer slechte service, de wachttijden aan de telefoon zijn erg lang.\"\n"
                    "2,2026-10-03,\"On hold for an hour again and nobody picks up, this is ridiculous.\"\n", "utf-8")
    assert main(["ingest", str(book), "--channel", "complaint_book"]) == 0
    assert main(["classify"]) == 0
    with Warehouse(project / "voc.duckdb", read_only=True) as wh:
        rows = dict(wh.query("SELECT x.language, p.sentiment FROM predictions p JOIN prepared x USING (item_id)"))
    assert rows["other"] is None and rows["en"] is not None
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["other_language_not_scored"] == 1
    assert main(["status"]) == 0
    assert "1 feedback items in a language outside [text] languages" in capsys.readouterr().out
    assert main(["report", "--month", "2026-10", "--out", str(tmp_path / "report")]) == 0
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["totals"]["items"] == 2 and report["totals"]["not_scored_other_language"] == 1
    assert report["history"]["totals"][-1] == 1  # rates count scored items only
    assert "1 items in a language the models were not trained on" in (tmp_path / "report" / "report.html").read_text()


def test_training_with_real_labels_needs_the_shared_data_and_says_so(project, capsys):
    real = project / "labels" / "train" / "real.jsonl"
    real.write_text('{"id": "twcs:x", "source": "twcs:1", "lang": "en", "sentiment": "neutral", '
                    '"pain_points": [], "annotator": "r", "sampling": "random"}\n', "utf-8")
    assert main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("voc train: ") and "VOC_SHARED_DATA" in err and len(err.splitlines()) == 1


def test_forget_removes_one_customer_everywhere_and_records_only_counts(project, capsys, tmp_path):
    main(["train", "--config", str(project / "train.toml"), "--version", "tiny-1"])
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(p) for p in [
        {"id": "1", "created_at": "2026-10-01T10:00:00Z", "author": "@Jane_D", "text": "on hold for an hour"},
        {"id": "2", "created_at": "2026-10-02T10:00:00Z", "author": "@jane_d", "text": "still waiting, rude agent"},
        {"id": "3", "created_at": "2026-10-02T11:00:00Z", "author": "@bob", "text": "the app crashes"},
        {"id": "4", "created_at": "not a date", "author": "@jane_d", "text": "my flat is 12 Rose Street"},
    ]) + "\n", "utf-8")
    main(["ingest", str(posts), "--channel", "social"])
    main(["classify"])
    capsys.readouterr()
    assert main(["forget", "--handle", "@jane_d", "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("would remove 2 item(s), 2 prepared text(s), 2 prediction(s)")
    with Warehouse(project / "voc.duckdb", read_only=True) as wh:
        assert wh.query("SELECT count(*) FROM items") == [(3,)]
    from pipelines.store.forget import customer_ref

    with Warehouse(project / "voc.duckdb", read_only=True) as wh:
        ref = customer_ref(wh, "@JANE_D", "s")  # the site's salt (use_site), any case or @
        assert wh.query("SELECT count(*) FROM items WHERE customer_ref = ?", [ref]) == [(2,)]
    (project / "reports" / "callbacks").mkdir(parents=True)
    listed = project / "reports" / "callbacks" / "2026-10-02.csv"
    listed.write_text(f"reason,customer_ref,text\nangry,{ref},still waiting\nangry,c_other,the app\n", "utf-8")
    (project / "reports" / "note.md").write_text(f"see {ref}\n", "utf-8")
    assert main(["forget", "--handle", "@jane_d"]) == 0
    out = capsys.readouterr().out
    assert listed.read_text("utf-8") == "reason,customer_ref,text\nangry,c_other,the app\n"
    assert "note.md" in out and "2026-10-02.csv" in out
    assert out.startswith("removed 2 item(s)") and "1 quarantined row(s)" in out
    with Warehouse(project / "voc.duckdb", read_only=True) as wh:
        assert wh.query("SELECT source_id FROM items") == [("3",)]
        assert wh.query("SELECT count(*) FROM predictions") == [(1,)] == wh.query("SELECT count(*) FROM prepared")
        assert wh.query("SELECT count(*) FROM quarantine") == [(0,)]
        logged = wh.records("SELECT * FROM forget_log")
    assert len(logged) == 1 and logged[0]["items"] == 2 and logged[0]["quarantined"] == 1
    assert "jane" not in json.dumps(logged, default=str).lower() and "c_" not in json.dumps(logged, default=str)
    assert main(["forget", "--email", "nobody@example.com"]) == 0
    assert capsys.readouterr().out.startswith("removed 0 item(s)")
