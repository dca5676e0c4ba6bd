"""What a file really is: its format and text encoding; its checksum.

A file that is not what it claims (a PDF named .csv, an empty file, a truncated
spreadsheet) raises `FileRejected` with a one-line reason before anything is written.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CHUNK_BYTES = 16 * 1024 * 1024
_SAMPLE_BYTES = 1024 * 1024

_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.xls/.doc): save it as .xlsx or CSV"),
]
_FORMAT_BY_SUFFIX = {
    ".csv": "delimited", ".tsv": "delimited", ".txt": "delimited",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
}


class FileRejected(Exception):
    """The whole file is refused; the message is the one-line reason."""


@dataclass(frozen=True)
class FileFacts:
    format: str  # delimited | jsonl | xlsx
    encoding: str  # a Python codec name; "binary" for xlsx
    size: int


def _utf8_then_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """A stray byte in UTF-8 text is Windows-1252, as spreadsheets wrote it; a cut multi-byte
    sequence (a lead byte and its continuation bytes, then nothing) is a lost character."""
    bad = error.object[error.start:error.end]
    if len(bad) >= 2:
        return "\ufffd", error.end
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("voc-cp1252", _utf8_then_cp1252)


def sha256_of(path: Path) -> str:
    """Checksum for the ledger (hashlib releases the GIL: callers may run it in a thread)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _looks_utf16(sample: bytes) -> str | None:
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _legacy_single_byte(sample: bytes) -> str:
    """Choose between Windows-1252 (French), -1255 (Hebrew) and -1251 (Russian)."""
    high = [b for b in sample if b >= 0x80]
    if not high:
        return "utf-8"
    in_words = sum(1 for a, b in zip(sample, sample[1:]) if a >= 0xC0 and b >= 0xC0)
    if in_words < 0.3 * len(high):
        return "cp1252"  # accents scattered inside Latin words
    try:
        sample.decode("cp1255")
    except UnicodeDecodeError:
        return "cp1251"
    upper_cyrillic = sum(1 for b in high if 0xC0 <= b <= 0xDF)
    return "cp1251" if upper_cyrillic > 0.03 * len(high) else "cp1255"


def detect_encoding(sample: bytes) -> str:
    """A codec name for the file whose first bytes are `sample`."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _looks_utf16(sample[:4096])
    if utf16:
        return utf16
    decoded = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    bad = decoded.count("\ufffd")
    if bad == 0:
        return "utf-8"
    non_ascii = sum(1 for ch in decoded if ord(ch) > 127) - bad
    if non_ascii >= max(1, bad // 4):
        return "utf-8"  # UTF-8 with a few Windows-1252 lines: decoded with a fallback
    return _legacy_single_byte(sample)


def decode_errors(encoding: str) -> str:
    return "voc-cp1252" if encoding in ("utf-8", "utf-8-sig") else "replace"


def iter_text(path: Path, encoding: str) -> Iterator[str]:
    """The file's text in chunks, decoded; undecodable bytes never stop the read."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=decode_errors(encoding))
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def inspect(path: Path, *, encoding: str | None = None) -> FileFacts:
    """Format and encoding of `path`, or FileRejected with the reason."""
    if not path.is_file():
        raise FileRejected("not a regular file" if path.exists() else "file not found")
    size = path.stat().st_size
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    if not sample.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise FileRejected("file is empty")
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise FileRejected(f"file is {what}, not {path.suffix or 'a feedback export'}")
    claimed = _FORMAT_BY_SUFFIX.get(path.suffix.lower())
    is_zip = sample.startswith(b"PK\x03\x04")
    if claimed == "xlsx" or (claimed is None and is_zip):
        if not is_zip:
            raise FileRejected("file is not an .xlsx workbook (no ZIP signature)")
        return FileFacts("xlsx", "binary", size)
    if is_zip:
        raise FileRejected(f"file is a ZIP archive or Office workbook, not {path.suffix}")
    chosen = encoding or detect_encoding(sample)
    if not chosen.startswith("utf-16"):
        controls = sum(1 for b in sample[:65536] if b < 32 and b not in (9, 10, 12, 13))
        if controls > 0.05 * min(len(sample), 65536):
            raise FileRejected("file holds binary data, not text")
    if claimed is None:
        head = sample.decode(chosen, errors="replace").lstrip("\ufeff \r\n\t")
        claimed = "jsonl" if head[:1] in ("{", "[") else "delimited"
    return FileFacts(claimed, chosen, size)
