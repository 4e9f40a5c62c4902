"""The signed JSON frame writes each document in one exact form: serialising the content once
and putting the checksum line in gives byte for byte what serialising the whole four-key
document gives, so files written before and after read alike; any change is refused."""

from __future__ import annotations

import hashlib

import pytest

from app.services.common.signed_json import Problem, SignedFileError, SignedFormat, dumps

FORMAT = SignedFormat("danhgia-thu", 3, 10**6)
CONTENT = {
    "commune": {"code": "XNT", "name": "Đảng bộ xã Na Tông"},
    "members": [{"code": "DV1", "full_name": "Lò Văn Pọm", "score": 87.5, "note": None}],
    "content": "a key named like the frame's",
}


def test_one_serialisation_gives_the_whole_documents_exact_form() -> None:
    signed = dumps({"format": FORMAT.name, "format_version": 2, "content": CONTENT})
    checksum = "sha256:" + hashlib.sha256(signed.encode("utf-8")).hexdigest()
    whole = {"format": FORMAT.name, "format_version": 2, "checksum": checksum, "content": CONTENT}
    assert FORMAT.encode(CONTENT, 2) == (dumps(whole) + "\n").encode("utf-8")
    assert FORMAT.checksum_of(2, CONTENT) == checksum
    verified = FORMAT.verify(FORMAT.encode(CONTENT, 2))
    assert (verified.format_version, verified.checksum, verified.content) == (2, checksum, CONTENT)


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data.replace("Pọm".encode(), b"Pom"),  # content edited
        lambda data: data.replace(b'"sha256:', b'"sha256:0', 1)[:-1],  # checksum edited
        lambda data: data.replace(b"87.5", b"87.50"),  # same value, another form
    ],
)
def test_a_changed_file_is_refused(change) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignedFileError) as caught:
        FORMAT.verify(change(FORMAT.encode(CONTENT, 2)))
    assert caught.value.problem is Problem.ALTERED
