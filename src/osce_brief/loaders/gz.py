"""gzip input, decompressed in bounded steps: the size cap applies to the output."""

from __future__ import annotations

from ..errors import InputError

#: The default cap on what one input may decompress to (the loaders' default cap, 64 MiB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


#: The first two bytes of a gzip file.
GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(data: bytes) -> bool:
    """True when ``data`` starts like a gzip file (magic bytes 1f 8b)."""
    return data[:2] == GZIP_MAGIC


#: Output produced per decompression step (a bomb is stopped within one step of the cap).
_GUNZIP_STEP = 8 << 20


def gunzip(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, where: str = "input") -> bytes:
    """Decompress gzip ``data`` (all its members), never producing more than ``max_bytes``.

    The output is produced in bounded steps, so a gzip bomb stops at the cap
    with an error instead of filling memory.

    Raises:
        InputError: the decompressed size passes ``max_bytes``, or the data is
            corrupt or truncated.

    Example:
        >>> import gzip
        >>> gunzip(gzip.compress(b"Hello"))
        b'Hello'
    """
    import zlib

    out: list[bytes] = []
    total = 0
    rest = data
    while True:
        d = zlib.decompressobj(wbits=31)  # 16 + MAX_WBITS: a gzip header and trailer
        buf = rest
        try:
            while True:
                piece = d.decompress(buf, min(max_bytes + 1 - total, _GUNZIP_STEP))
                total += len(piece)
                if total > max_bytes:
                    raise InputError(
                        f"{where}: decompressed input is larger than --max-bytes ({max_bytes:,} bytes)",
                        "raise it with --max-bytes N, or give a smaller file",
                    )
                out.append(piece)
                if d.eof:
                    break
                buf = d.unconsumed_tail
                if not buf:
                    raise InputError(f"{where}: truncated gzip data", "check the file with gzip -t")
        except zlib.error as e:
            raise InputError(f"{where}: corrupt gzip data ({e})", "check the file with gzip -t") from None
        rest = d.unused_data
        if not is_gzip(rest):  # no further member (trailing zeros or garbage are ignored, as gzip does)
            break
    return b"".join(out)
