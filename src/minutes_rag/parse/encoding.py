"""Turning the bytes of a text file into text: BOMs, UTF-8, UTF-16 without BOM, GB18030,
then charset-normalizer; and telling text from binary.

Archives of Chinese minutes mix UTF-8 with GBK files saved by older Windows tools and the
odd UTF-16 export, usually without saying which. The order of the guesses matters: strict
UTF-8 almost never decodes anything that is not UTF-8, while GB18030 (a superset of GBK and
GB2312) decodes most byte strings, so it comes after UTF-8 and is checked for sense.
"""

from __future__ import annotations

import codecs
import unicodedata


class DecodeProblem(ValueError):
    """The bytes are not text we can read; the message is the human problem."""


BINARY_NUL = "binary file, not text (NUL bytes)"
BINARY_CONTROL = "binary file, not text (control characters)"
UNDECODABLE = "cannot decode text: not UTF-8, UTF-16 or GB18030"

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of characters that may be control/unassigned/private before text counts as junk.
_MAX_BAD_SHARE = 0.02


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise DecodeProblem with a human message if the bytes
    are binary or in no encoding we can recognise."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DecodeProblem(f"cannot decode text: starts with a {name} BOM but {exc.reason}") from exc
            _check_not_binary(text)
            return text, name

    if b"\x00" in data:
        # NUL bytes: either UTF-16 without a BOM (ASCII characters, digits and newlines
        # give one NUL per character) or a binary file.
        found = _guess_utf16(data)
        if found is None:
            raise DecodeProblem(BINARY_NUL)
        return found

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_not_binary(text)
        return text, "utf-8"

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _bad_share(text) <= _MAX_BAD_SHARE:
            return text, "gb18030"

    return _charset_normalizer_guess(data)


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    # Little-endian text puts the zero high byte of ASCII characters at odd offsets.
    order = ("utf-16-le", "utf-16-be") if odd_nuls >= even_nuls else ("utf-16-be", "utf-16-le")
    for name in order:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue  # a real text file holds no NUL characters
        if _bad_share(text) <= _MAX_BAD_SHARE:
            return text, name
    return None


def _charset_normalizer_guess(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # lazy: only for the rare odd file

    # Only encodings minutes are really written in: left free, charset-normalizer calls
    # short files EBCDIC or Mac Icelandic.
    best = from_bytes(data, cp_isolation=list(_FALLBACK_ENCODINGS)).best()
    if best is None:
        raise DecodeProblem(UNDECODABLE)
    text = str(best)
    # A guess full of mess (charset-normalizer's chaos), or one that yields mostly
    # symbols rather than words, is worse than an honest error.
    if best.chaos > 0.2 or _bad_share(text) > _MAX_BAD_SHARE or _word_share(text) < 0.5:
        raise DecodeProblem(UNDECODABLE)
    return text, best.encoding


# Traditional Chinese (Big5), Western and Central European and Cyrillic Windows code pages,
# Latin-1/9, Japanese and Korean.
_FALLBACK_ENCODINGS = ("big5", "cp1252", "latin_1", "iso8859_15", "cp1250", "cp1251", "shift_jis",
                       "euc_jp", "euc_kr")


def _word_share(text: str) -> float:
    """Share of letters and digits (any script) among the non-space characters."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    return sum(c.isalnum() for c in visible) / len(visible)


def _check_not_binary(text: str) -> None:
    if "\x00" in text:
        raise DecodeProblem(BINARY_NUL)
    if _bad_share(text) > _MAX_BAD_SHARE:
        raise DecodeProblem(BINARY_CONTROL)


def _bad_share(text: str) -> float:
    """Share of characters that no text file holds: control characters (other than
    whitespace), unassigned code points, private use and lone surrogates."""
    if not text:
        return 0.0
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    bad = 0
    for ch in sample:
        if ch in "\t\n\r\f\v":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cn", "Co", "Cs"):
            bad += 1
    return bad / len(sample)
