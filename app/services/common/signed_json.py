"""A file that is one JSON document written in one exact form, with a SHA-256 over its content:
the machinery the exchange package (.dgx) and the commune's report to the province (.dgr)
share. Each names its own format and what its files are called (:class:`FileKind`); this
module says which problem a file has and words it, in Vietnamese, with those nouns.

Layout::

    {
     "format": "<name>",
     "format_version": <n>,
     "checksum": "sha256:<hex of the document without this line>",
     "content": { ... }
    }

Why an exact form: the file is written by one serialisation (keys in the order given, one-space
indent, UTF-8, a final newline) and the reader re-serialises what it parsed and requires the
very same bytes. Together with the checksum this refuses a file changed by any single byte,
even a change JSON itself would not notice (a space, an escaped letter, a repeated key). The
checksum guards against damage and casual editing, not against a forger who recomputes it.

Reading the content is strict too: :class:`Reader` takes one JSON object and names where a
problem is; every value goes through a reader that checks its type and normalises its text
(``exchange.fields`` has them), and a :class:`BadValue` says what is wrong, in Vietnamese.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

_T = TypeVar("_T")
_CHECKSUM = re.compile(r"^sha256:[0-9a-f]{64}$")


class BadValue(ValueError):
    """One field of a file is wrong; the message says what, in Vietnamese."""


class Problem(StrEnum):
    TOO_LARGE = "too-large"  # more bytes than the format ever holds
    NOT_THIS_FORMAT = "not-this-format"  # does not start as this format's files do
    DAMAGED = "damaged"  # not JSON, or not the document's frame
    NEWER = "newer"  # a format version this app does not know yet
    ALTERED = "altered"  # the checksum or the exact form does not hold


class SignedFileError(Exception):
    """What is wrong with a file as a whole; :meth:`FileKind.problem` words it for a format.
    ``version`` is the file's format version where it was read (for ``Problem.NEWER``)."""

    def __init__(self, problem: Problem, version: int | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.version = version


@dataclass(frozen=True)
class Verified:
    """A file whose frame, exact form and checksum hold; ``content`` is as parsed, unread."""

    format_version: int
    checksum: str
    content: Any


@dataclass(frozen=True)
class FileKind:
    """What one format's messages call its files, and the error every problem becomes.

    The exchange package: ``noun`` "gói dữ liệu", ``full_name`` "gói dữ liệu DanhGia" (what a
    file of another kind is "not"), ``short_noun`` "gói" (what its maker is asked to export
    again), ``who_makes_it`` "chi bộ", ``extension`` ".dgx", ``error`` PackageError."""

    noun: str
    full_name: str
    short_noun: str
    who_makes_it: str
    extension: str
    error: Callable[[str], Exception]

    @property
    def title(self) -> str:
        """The noun at the start of a sentence."""
        return self.noun[:1].upper() + self.noun[1:]

    def too_large(self, name: str) -> Exception:
        return self.error(f"Tệp “{name}” quá lớn để là {self.noun} DanhGia.")

    def problem(self, error: SignedFileError, name: str) -> Exception:
        """The Vietnamese message for what is wrong with the file *name* as a whole."""
        if error.problem is Problem.TOO_LARGE:
            return self.too_large(name)
        if error.problem is Problem.NOT_THIS_FORMAT:
            return self.error(
                f"Tệp “{name}” không phải {self.full_name} (tệp {self.extension} do "
                f"{self.who_makes_it} xuất ra)."
            )
        if error.problem is Problem.NEWER:
            return self.error(
                f"{self.title} “{name}” của phiên bản DanhGia mới hơn (định dạng "
                f"{error.version}); hãy cập nhật DanhGia rồi nhập lại."
            )
        again = f"Không nhập gì; hãy đề nghị {self.who_makes_it} xuất lại {self.short_noun}."
        if error.problem is Problem.ALTERED:
            return self.error(
                f"{self.title} “{name}” đã bị thay đổi sau khi xuất (sai mã kiểm tra). {again}"
            )
        return self.error(
            f"{self.title} “{name}” bị hỏng hoặc không trọn vẹn (có thể chép chưa xong, hoặc "
            f"đã bị sửa). {again}"
        )

    def invalid(self, error: BadValue, name: str) -> Exception:
        """The Vietnamese message for a value of the content that is wrong."""
        return self.error(f"{self.title} “{name}” không hợp lệ: {error}.")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)


def _reject_constant(name: str) -> None:
    raise ValueError(f"giá trị {name} không hợp lệ trong JSON")


@dataclass(frozen=True)
class SignedFormat:
    """One format: its name (the first key's value), the newest version this app writes and
    the largest file it accepts."""

    name: str
    version: int
    max_bytes: int

    @property
    def magic(self) -> bytes:
        """How every file of this format begins."""
        return b'{\n "format": "' + self.name.encode() + b'",'

    def _signed(self, format_version: int, content: Any) -> dict[str, Any]:
        return {"format": self.name, "format_version": format_version, "content": content}

    def checksum_of(self, format_version: int, content: Any) -> str:
        """SHA-256 over the exact serialisation of the document without its checksum line."""
        text = dumps(self._signed(format_version, content))
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def encode(self, content: Any, format_version: int | None = None) -> bytes:
        """The file's bytes for *content* (already JSON-ready): the document serialised once,
        its checksum line put in after "format_version" — exactly what serialising the
        four-key document gives (the serialisation is one key per line), without writing a
        large content out twice."""
        version = self.version if format_version is None else format_version
        signed = dumps(self._signed(version, content))
        checksum = "sha256:" + hashlib.sha256(signed.encode("utf-8")).hexdigest()
        head = self._head(version)
        if not signed.startswith(head):  # json.dumps changed its layout: never write a guess
            raise RuntimeError("unexpected JSON layout of a signed document")
        line = f' "checksum": "{checksum}",\n'
        return (head + line + signed[len(head) :] + "\n").encode("utf-8")

    def _head(self, version: int) -> str:
        """The first lines of every document of *version*, up to the checksum's place."""
        name = json.dumps(self.name, ensure_ascii=False)
        return f'{{\n "format": {name},\n "format_version": {version},\n'

    def verify(self, data: bytes) -> Verified:
        """The file's frame, exact form and checksum, checked; SignedFileError otherwise."""
        if len(data) > self.max_bytes:
            raise SignedFileError(Problem.TOO_LARGE)
        if not data.startswith(self.magic):
            raise SignedFileError(Problem.NOT_THIS_FORMAT)
        try:
            document = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise SignedFileError(Problem.DAMAGED) from None
        if not isinstance(document, dict) or document.get("format") != self.name:
            raise SignedFileError(Problem.DAMAGED)
        version = document.get("format_version")
        if not is_int(version) or version < 1:
            raise SignedFileError(Problem.DAMAGED)
        if version > self.version:
            raise SignedFileError(Problem.NEWER, version)
        checksum = document.get("checksum")
        if set(document) != {"format", "format_version", "checksum", "content"}:
            raise SignedFileError(Problem.ALTERED, version)
        if not isinstance(checksum, str) or not _CHECKSUM.match(checksum):
            raise SignedFileError(Problem.ALTERED, version)
        try:
            # The bytes written for this content carry the checksum of it: equal bytes are the
            # exact form and the right checksum at once.
            exact = self.encode(document["content"], version) == data
        except (ValueError, TypeError, RecursionError):
            exact = False
        if not exact:
            raise SignedFileError(Problem.ALTERED, version)
        return Verified(version, checksum, document["content"])

    def read(self, data: bytes, name: str, kind: FileKind, parse: Callable[[Verified], _T]) -> _T:
        """The file *name*'s bytes verified and its content read by *parse*: every problem,
        of the file as a whole or of one value (BadValue), is ``kind.error`` in Vietnamese."""
        try:
            verified = self.verify(data)
        except SignedFileError as error:
            raise kind.problem(error, name) from None
        try:
            return parse(verified)
        except BadValue as error:
            raise kind.invalid(error, name) from None


# ---- reading the content ----------------------------------------------------------------


def as_is(value: Any) -> Any:
    return value


class Reader:
    """Reads one JSON object, naming where a problem is."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise BadValue(f"{where}: phải là một bảng dữ liệu")
        self.value, self.where = value, where

    def get(self, key: str, read: Callable[[Any], Any]) -> Any:
        if key not in self.value:
            raise BadValue(f"{self.where}: thiếu mục “{key}”")
        try:
            return read(self.value[key])
        except BadValue as error:
            raise BadValue(f"{self.where}, mục “{key}”: {error}") from None

    def fields(self, kinds: Mapping[str, Any]) -> dict[str, Any]:
        """Each key of *kinds* read with its kind's ``read``."""
        return {key: self.get(key, kind.read) for key, kind in kinds.items()}

    def child(self, key: str) -> Reader:
        return Reader(self.get(key, as_is), f"{self.where} › {key}")


def listed(limit: int) -> Callable[[Any], list[Any]]:
    """A reader of a JSON list of at most *limit* items (the items are read by the caller)."""

    def read(value: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > limit:
            raise BadValue(f"phải là danh sách (tối đa {limit} mục)")
        return value

    return read
