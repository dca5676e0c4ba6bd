import pytest

from pipelines.ingest.files import detect_encoding
from tests.conftest import rows


@pytest.mark.parametrize("name, content, expected", [
    ("book.csv", b"%PDF-1.7\n1 0 obj\n", "PDF"),
    ("book.csv", b"", "empty"),
    ("book.csv", b"\xef\xbb\xbf\r\n  \n", "empty"),
    ("book.csv", b"PK\x03\x04" + b"\x00" * 50, "ZIP"),
    ("book.xlsx", b"id,date,description\n1,2026-01-01,x\n", "not an .xlsx"),
    ("book.xlsx", b"PK\x03\x04garbage", "corrupt"),
    ("book.csv", bytes(range(256)) * 40, "binary"),
    ("book.csv", b"\x89PNG\r\n\x1a\n....", "PNG"),
])
def test_files_that_are_not_what_they_claim_are_rejected_whole(ingest, wh, name, content, expected):
    report = ingest(name, content, channel="complaint_book")
    assert report.status == "rejected"
    assert expected in report.reason
    assert "\n" not in report.reason
    assert rows(wh, "SELECT count(*) FROM items") == [(0,)]
    assert rows(wh, "SELECT count(*) FROM quarantine") == [(0,)]
    assert rows(wh, "SELECT status, path LIKE '%' || ? FROM ingest_ledger", [name]) == [("rejected", True)]


def test_a_header_only_export_lands_nothing_and_is_not_an_error(ingest):
    report = ingest("book.csv", "id,date,description\n", channel="complaint_book")
    assert (report.status, report.rows_read) == ("landed", 0)


@pytest.mark.parametrize("text, encoding", [
    ("Bonjour, j'ai attendu très longtemps à l'agence. Réponse: aucune. Déçu.", "cp1252"),
    ("שלום, חיכיתי שעה על הקו ואף אחד לא ענה לי. שירות גרוע מאוד", "cp1255"),
    ("Здравствуйте, я час ждал ответа оператора, это ужасно. Верните деньги", "cp1251"),
    ("Привет, ждал ответа", "cp1251"),
    ("plain ascii", "utf-8"),
])
def test_legacy_encodings_are_told_apart(text, encoding):
    assert detect_encoding(text.encode(encoding)) == encoding


def test_utf16_without_bom_is_recognised():
    assert detect_encoding("id,text\n1,hello\n".encode("utf-16-le")) == "utf-16-le"
