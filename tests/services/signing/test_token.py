"""Signing through a USB token's PKCS#11 driver, with SoftHSM2 standing in for the token.

SoftHSM2 must be installed (`apt-get install softhsm2`; .ci/run installs it): without it these
tests fail with that instruction rather than being skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.signing.sign import (
    Pkcs11Token,
    SigningError,
    Verdict,
    list_tokens,
    sign_pdf,
    signer_certificate,
    verify_pdf,
)
from tests.services.signing import support


def test_list_tokens_shows_the_plugged_in_token() -> None:
    token = support.soft_token()
    tokens = list_tokens(token.module)
    labels = [info.label for info in tokens]
    assert support.TOKEN_LABEL in labels
    found = tokens[labels.index(support.TOKEN_LABEL)]
    assert found.manufacturer and found.model and found.serial


def test_sign_minutes_through_the_token_and_verify_them() -> None:
    token = support.soft_token()
    assert signer_certificate(token.source()).name == "Lò Văn Pọm"
    signed = sign_pdf(
        support.minutes_pdf(), token.source(), reason="Chủ trì hội nghị", location="Na Tông"
    )
    report = verify_pdf(signed, [token.pem])
    assert report.verdict is Verdict.VALID
    assert report.signer_name == "Lò Văn Pọm"
    assert verify_pdf(signed).verdict is Verdict.UNKNOWN_SIGNER
    offset = signed.index(b"stream", len(signed) // 2) + 30
    assert verify_pdf(support.flip_byte(signed, offset), [token.pem]).verdict is Verdict.CHANGED


def test_choose_the_token_by_slot_and_the_key_by_label() -> None:
    token = support.soft_token()
    slot = next(i.slot for i in list_tokens(token.module) if i.label == support.TOKEN_LABEL)
    source = token.source(token_label=None, slot=slot, key_label=support.KEY_LABEL)
    signed = sign_pdf(support.minutes_pdf(), source, reason="Ký", location="Na Tông")
    assert verify_pdf(signed, [token.pem]).verdict is Verdict.VALID


def test_wrong_pin_is_a_vietnamese_error() -> None:
    token = support.soft_token()
    with pytest.raises(SigningError, match="Mã PIN của USB token không đúng"):
        sign_pdf(support.minutes_pdf(), token.source(pin="000000"), reason="", location="")


def test_unknown_key_or_token_label() -> None:
    token = support.soft_token()
    with pytest.raises(SigningError, match="Không tìm thấy khóa bí mật “Khong co”"):
        sign_pdf(support.minutes_pdf(), token.source(key_label="Khong co"), reason="", location="")
    with pytest.raises(SigningError, match="Không thấy USB token đã chọn “Token khác”"):
        signer_certificate(token.source(token_label="Token khác"))


def test_missing_token_driver_says_the_driver_was_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "vnpt-ca_csp11.dll"
    source = Pkcs11Token(module_path=missing, pin="1234")
    with pytest.raises(SigningError, match=r"Không tìm thấy trình điều khiển \(driver\) của USB"):
        sign_pdf(support.minutes_pdf(), source, reason="", location="")
    with pytest.raises(SigningError, match="Không tìm thấy trình điều khiển"):
        list_tokens(missing)
    for name in ("", "khong-co-driver-nay.dll"):
        with pytest.raises(SigningError, match="Không tìm thấy trình điều khiển"):
            list_tokens(name)


def test_a_file_that_is_not_a_pkcs11_driver_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "token.so"
    fake.write_text("không phải thư viện")
    with pytest.raises(SigningError, match="Không nạp được trình điều khiển"):
        list_tokens(fake)
