"""Writing output files as an office shares them: never half a file, never through a trap.

- Atomic: a temporary file beside the target, fsync, rename; a reader never sees half a report
  and a failure leaves the old file as it was.
- Modes follow the umask, as `>` in a shell would (a report that cron writes into a shared
  folder is readable by the others: 0644 under umask 022), and a file that is overwritten keeps
  its mode (someone made it group-writable on purpose).
- Only a regular file or a new path is ever replaced: a symbolic link, FIFO, device node, socket
  or folder at the target is refused with one line, untouched.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg

_KINDS = (
    (stat.S_ISLNK, "file.link"),
    (stat.S_ISDIR, "file.folder"),
    (stat.S_ISFIFO, "file.fifo"),
    (stat.S_ISCHR, "file.device"),
    (stat.S_ISBLK, "file.device"),
    (stat.S_ISSOCK, "file.socket"),
)


def check_target(path: Path) -> os.stat_result | None:
    """The target's stat when it is a regular file, None when it does not exist; else refused."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise InvalidValue(msg("err.path_part_is_file", path=path)) from None
    if stat.S_ISREG(found.st_mode):
        return found
    what = next((name for test, name in _KINDS if test(found.st_mode)), "file.not_regular")
    raise InvalidValue(msg("err.not_regular_file", path=path, what=msg(what)))


def current_umask() -> int:
    """The process umask (read by setting and restoring it: the CLI is single-threaded)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content appears at `path` only when the block ends cleanly."""
    existing = check_target(path)
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~current_umask()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        check_target(path)  # nothing put a link or pipe there while we wrote
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """`atomic_file` as UTF-8 text with line ends kept as written (CSV writes its own CRLF)."""
    with atomic_file(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the binary handle is closed (or discarded) by atomic_file


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, creating folders as needed (see the module docstring)."""
    with atomic_file(path) as handle:
        handle.write(data)
