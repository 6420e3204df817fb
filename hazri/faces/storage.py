"""Where daily photos live while they are kept: files under HAZRI_FACES_DIR, one
folder per school, never under a served folder. Reference faces are small crops kept
in the database (deleted with their row)."""

from pathlib import Path

from django.conf import settings


def _folder(school_id: int) -> Path:
    return Path(settings.HAZRI_FACES_DIR) / str(school_id)


def photo_path(school_id: int, photo_id: int) -> Path:
    return _folder(school_id) / f"{photo_id}.img"


def part_path(school_id: int, photo_id: int) -> Path:
    """The bytes received so far of a photo still uploading."""
    return _folder(school_id) / f"{photo_id}.part"


def append(path: Path, chunk: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        handle.write(chunk)
        handle.flush()


def truncate(path: Path, size: int) -> None:
    """Cut a part file back to the bytes recorded as received (a write that reached the
    disk but not the database is taken again)."""
    if path.exists() and path.stat().st_size != size:
        with path.open("r+b") as handle:
            handle.truncate(size)


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)
