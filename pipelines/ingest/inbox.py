"""What an inbox folder holds: the exports to ingest, and every other entry with why it is
left where it is. Links are never followed (an inbox is written by other people: a link to
/proc/self/environ or the salt file must not be read), sub-folders are not walked, and nothing
is skipped silently except hidden files (editors' and copy tools' temporary files)."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

INGESTIBLE = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class Skipped:
    path: Path
    why: str


def scan_folder(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """(regular export files in `folder`, sorted; entries left alone with the reason)."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    if not folder.is_dir() or folder.is_symlink():
        return files, [Skipped(folder, "a link, not a folder: links are never followed")] if folder.is_symlink() else []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            skipped.append(Skipped(entry, "a link: links are never followed from the inbox; copy the file in instead"))
        elif stat.S_ISDIR(mode):
            skipped.append(Skipped(entry, f"a sub-folder: sub-folders are not read; move its files up into {folder.name}/"))
        elif not stat.S_ISREG(mode):
            skipped.append(Skipped(entry, "not a regular file (a device, pipe or socket)"))
        elif entry.suffix.lower() not in INGESTIBLE:
            skipped.append(Skipped(entry, f"not an export voc reads ({', '.join(INGESTIBLE)})"))
        else:
            files.append(entry)
    return files, skipped


def still_regular(path: Path) -> bool:
    """True if `path` is (still) a regular file and not a link: checked again right before it is
    read, so a file swapped for a link after the scan is not followed."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False
