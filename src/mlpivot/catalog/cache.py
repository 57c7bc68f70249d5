"""A file cache of values derived from the knowledge base, so a command does not re-read YAML.

Reading and checking the knowledge base takes a good part of a second; every command needs it.
The checked values are kept in the user cache folder under a key made from everything they were
derived from (see `source_key`), so any change to a knowledge file, an overlay, this code,
Python or pydantic gives a new key and the next load rebuilds by itself.

The format is pickle, chosen for speed (the catalog is some thousands of small frozen models),
made safe to read in two ways:
- the header carries the key and a SHA-256 of the payload: a truncated, corrupt or stale file
  is detected before a byte of it is unpickled, and the caller rebuilds;
- the unpickler resolves only the classes the caller allows (our frozen value classes and the
  URL type inside them), so even a deliberately crafted file cannot name a function to call;
  the most it can do is describe values, and only someone who can write the user's own cache
  folder (created private, 0700) could place one there.
Writes go to a temporary file in the same folder, then a rename: two processes building at
once each leave a whole file, and a reader never sees half of one. A folder that cannot be
created or written (read-only home, sandbox) means no cache, never an error.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

MAGIC = b"mlpivot-cache 1\n"
KEEP_FILES = 16
"""Files kept per folder; older ones are removed (each overlay folder makes its own file)."""
BUILD_STRIPES = 16
"""Locks that builders of one kind share by key: bounded, and two keys rarely wait on each other"""
_thread_stripes = [threading.Lock() for _ in range(BUILD_STRIPES)]


def cache_folder() -> Path:
    """`MLPIVOT_CACHE_DIR`, else the per-user cache folder (e.g. ~/.cache/mlpivot)."""
    named = os.environ.get("MLPIVOT_CACHE_DIR")
    if named:
        return Path(named)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mlpivot", appauthor=False))


def _file(kind: str, name: str) -> Path:
    return cache_folder() / kind / name


def source_key(parts: Iterable[bytes], code_files: Iterable[Path]) -> str:
    """A hash of the inputs, the code that turns them into values, and the runtime that pickles.

    Each part is length-prefixed, so two different sequences never hash the same.
    """
    import pydantic

    # The package is imported before any of its modules, so this reads, never imports, it
    # (and the catalog layer keeps to itself: `mlpivot` names the layers above).
    version = getattr(sys.modules["mlpivot"], "__version__", "")
    digest = hashlib.sha256()

    def add(chunk: bytes) -> None:
        digest.update(len(chunk).to_bytes(8, "little"))
        digest.update(chunk)

    add(f"{version} {sys.version} {pydantic.VERSION}".encode())
    for path in sorted(code_files):
        add(path.name.encode())
        add(path.read_bytes())
    for part in parts:
        add(part)
    return digest.hexdigest()


class _AllowedOnly(pickle.Unpickler):
    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"the cache names {module}.{name}, which is not allowed")
        found: type = super().find_class(module, name)
        return found


def read_cache(
    kind: str, name: str, key: str, allowed: frozenset[tuple[str, str]]
) -> object | None:
    """The value stored as `kind`/`name` for `key`, or None when there is no usable one."""
    try:
        blob = _file(kind, name).read_bytes()
    except OSError:
        return None
    head_size = len(MAGIC) + 64 + 1 + 64 + 1
    if len(blob) < head_size or not blob.startswith(MAGIC):
        return None
    head = blob[len(MAGIC) : head_size].decode("ascii", errors="replace")
    stored_key, stored_sum = head[:64], head[65:129]
    payload = blob[head_size:]
    if stored_key != key or hashlib.sha256(payload).hexdigest() != stored_sum:
        return None
    try:
        value: object = _AllowedOnly(payload, allowed).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        # Only reachable with a file written for this very key by other code: not ours to use.
        return None
    return value


def write_cache(kind: str, name: str, key: str, value: object, keep: int = KEEP_FILES) -> None:
    """Store `value` as `kind`/`name` for `key`; nothing at all if the folder is not writable.

    `keep` bounds the files of this kind: one per overlay folder for the catalog, but one per
    plan version for charts, where a cohort has hundreds and a small bound would redraw them all.
    """
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    blob = b"".join(
        (MAGIC, key.encode(), b"\n", hashlib.sha256(payload).hexdigest().encode(), b"\n", payload)
    )
    folder = _file(kind, name).parent
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        Path(temporary).replace(folder / name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    _prune(folder, keep)


def _prune(folder: Path, keep: int = KEEP_FILES) -> None:
    """Keep the newest files; drop temporaries a killed process left more than an hour ago."""
    try:
        stamped = [(p.stat().st_mtime, p) for p in folder.iterdir() if p.is_file()]
        newest = max(t for t, _ in stamped)
        kept = sorted((t, p) for t, p in stamped if not p.name.startswith("."))
        stale = [p for t, p in stamped if p.name.startswith(".") and t < newest - 3600]
        for old in [p for _, p in kept[:-keep]] + stale:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):  # a file removed under us by another process; try next time
        return


@contextmanager
def building(kind: str, key: str) -> Iterator[None]:
    """Held while one value of `kind` is built, so that threads and processes asking for the
    same key at once build it once: the others wait here, then read what the first wrote.

    Without it, the first view of a plan by fifty people at once meant fifty draws of the same
    chart in four workers, each seconds of CPU. Keys share one of `BUILD_STRIPES` locks (a lock
    file under `kind/.locks`, held with `flock`), so the locks stay few. Where there is no
    `flock` (Windows) or no writable folder, only the threads of this process wait for each
    other; a second process then builds the value again, which is slower, never wrong.
    """
    stripe = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % BUILD_STRIPES
    with _thread_stripes[stripe]:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        folder = cache_folder() / kind / ".locks"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = os.open(folder / f"{stripe}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing the descriptor releases the lock
