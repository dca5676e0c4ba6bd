import io
from datetime import datetime, timezone

import pytest
from openpyxl import Workbook

from pipelines.ingest.mapping import SourceMapping
from tests.conftest import rows


def test_french_cp1252_semicolon_export_with_its_own_headers(ingest, wh):
    content = ("N° réclamation;Date de réception;Agence;Catégorie;Client;Réclamation\n"
               "R1;03/08/2026 09:15;Opéra;Facturation;marie@example.com;J'ai attendu 2 heures à l'agence, c'est inadmissible.\n")
    report = ingest("reclamations.csv", content, encoding="cp1252", channel="complaint_book",
                    timezone="Europe/Paris")
    assert (report.encoding, report.landed) == ("cp1252", 1)
    (text, received, extra, ref), = rows(wh, "SELECT text, received_at, extra, customer_ref FROM items")
    assert text.startswith("J'ai attendu 2 heures à l'agence")
    assert received == datetime(2026, 8, 3, 7, 15, tzinfo=timezone.utc)
    assert '"branch":"Opéra"' in extra and "marie" not in extra
    assert ref.startswith("c_") and "marie" not in ref


@pytest.mark.parametrize("encoding, header, text", [
    ("cp1255", "מספר פנייה,תאריך,סניף,תלונה\n", "חיכיתי שעה על הקו ואף אחד לא ענה"),
    ("cp1251", "Номер,Дата,Отделение,Жалоба\n", "Час висел на линии, оператор так и не ответил. Ужас!"),
    ("utf-8-sig", "מספר פנייה,תאריך,סניף,תלונה\n", "הבוט לא מבין כלום 😡 Orbita app"),
])
def test_legacy_and_bom_encodings_read_correctly(ingest, wh, encoding, header, text):
    report = ingest("book.csv", header + f"1,12.10.2026 11:07,Centre,\"{text}\"\n", encoding=encoding,
                    channel="complaint_book")
    assert report.encoding == encoding
    assert rows(wh, "SELECT text FROM items") == [(text,)]


def test_utf8_file_with_stray_cp1252_bytes_keeps_both(ingest, wh):
    content = ("id,date,description\n".encode() + "1,2026-10-01,Très lent ☹\n".encode("utf-8")
               + "2,2026-10-01,Caf\xe9 cr\xe8me\n".encode("latin-1"))
    report = ingest("book.csv", content, channel="complaint_book")
    assert report.landed == 2
    assert sorted(r[0] for r in rows(wh, "SELECT text FROM items")) == ["Café crème", "Très lent ☹"]


def test_multiline_text_keeps_line_numbers_of_later_rows_right(ingest, wh):
    content = ('id,date,description\n'
               '1,2026-10-01,"first line\nsecond line\nthird"\n'
               '2,2026-10-01,too,many,columns\n'
               '3,not a date,bad date\n'
               '4,2026-10-01,"fine, with a comma and ""quotes"""\n')
    report = ingest("book.csv", content, channel="complaint_book")
    assert (report.rows_read, report.landed, report.quarantined) == (4, 2, 2)
    assert rows(wh, "SELECT line, reason FROM quarantine ORDER BY line") == [
        (5, "malformed CSV record (TOO MANY COLUMNS)"), (6, "unparseable date")]
    assert rows(wh, "SELECT line, text FROM items ORDER BY line") == [
        (2, "first line\nsecond line\nthird"), (7, 'fine, with a comma and "quotes"')]


def test_rows_without_an_id_are_keyed_by_content(ingest, wh):
    content = "date,description\n2026-10-01 10:00,Rude staff\n2026-10-01 10:00,Rude staff\n2026-10-01 11:00,Rude staff\n"
    report = ingest("book.csv", content, channel="complaint_book")
    assert (report.landed, report.duplicate) == (2, 1)
    assert all(r[0].startswith("h:") for r in rows(wh, "SELECT source_id FROM items"))


def test_mapping_file_names_unusual_columns(ingest, wh):
    mapping = SourceMapping(name="kiosk", match=["kiosk_*.csv"], channel="complaint_book",
                            timezone="Europe/Moscow",
                            columns={"text": ["Subject", "Body"], "received": "When", "source_id": "No"},
                            extra={"branch": "Where"})
    content = "No,When,Where,Subject,Body\n7,2026-10-01 12:00,Tverskaya,Касса,Киоск не принимает карту\n"
    report = ingest("kiosk_oct.csv", content, mappings=[mapping])
    assert (report.channel, report.source, report.landed) == ("complaint_book", "kiosk", 1)
    assert rows(wh, "SELECT text, received_at, extra->>'branch' FROM items") == [
        ("Касса\n\nКиоск не принимает карту", datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc), "Tverskaya")]


def test_file_without_a_text_column_is_rejected_with_advice(ingest, wh):
    report = ingest("book.csv", "a,b\n1,2\n", channel="complaint_book")
    assert report.status == "rejected"
    assert "no text column" in report.reason and "mapping" in report.reason
    assert rows(wh, "SELECT count(*) FROM items") == [(0,)]


def _xlsx(rows_):
    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    for row in rows_:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_real_dates_and_excel_serial_numbers(ingest, wh):
    content = _xlsx([
        ["Ref", "Submitted", "Store", "Customer message", "Contact"],
        ["WF-1", datetime(2026, 10, 5, 10, 30), "Leeds", "Menu says press 1, press 1 does nothing", "+44 7700 900123"],
        ["WF-2", 46300.4375, "Leeds", "Paid 0899 line, 17 minutes", None],
        [None, None, None, None, None],
        ["WF-3", datetime(2026, 10, 6, 8, 0), "Leeds", None, None],
    ])
    report = ingest("web_form.xlsx", content, channel="complaint_book")
    assert (report.landed, report.quarantined) == (2, 1)
    assert rows(wh, "SELECT source_id, received_at FROM items ORDER BY 1") == [
        ("WF-1", datetime(2026, 10, 5, 10, 30, tzinfo=timezone.utc)),
        ("WF-2", datetime(2026, 10, 5, 10, 30, tzinfo=timezone.utc)),
    ]
    assert rows(wh, "SELECT line, reason FROM quarantine") == [(5, "no text")]
    assert rows(wh, "SELECT count(*) FROM items WHERE extra::VARCHAR LIKE '%7700%'") == [(0,)]


def test_truncated_xlsx_is_rejected_and_writes_nothing(ingest, wh):
    content = _xlsx([["Ref", "Submitted", "Customer message"], ["1", datetime(2026, 1, 1), "x"]])
    report = ingest("web_form.xlsx", content[: len(content) // 2], channel="complaint_book")
    assert report.status == "rejected" and "xlsx" in report.reason
    assert rows(wh, "SELECT count(*) FROM items") == [(0,)]
    assert rows(wh, "SELECT status, reason IS NOT NULL FROM ingest_ledger") == [("rejected", True)]


def test_same_customer_gets_the_same_reference_across_spellings(ingest, wh):
    content = ("id,date,customer,description\n"
               "1,2026-10-01,Dana.K@Example.com,a\n2,2026-10-01, dana.k@example.com ,b\n"
               "3,2026-10-01,+972 54-123-4567,c\n4,2026-10-01,972541234567,d\n")
    ingest("book.csv", content, channel="complaint_book")
    refs = [r[0] for r in rows(wh, "SELECT customer_ref FROM items ORDER BY source_id")]
    assert refs[0] == refs[1] and refs[2] == refs[3] and refs[0] != refs[2]
