"""Signing the minutes with a PKCS#12 certificate and verifying them: valid, changed after
signing, unknown signer, not signed, damaged."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from app.services.common.errors import ServiceError
from app.services.signing import certificates as signing_certs
from app.services.signing import sign as signing
from app.services.signing.sign import Pkcs12File, SigningError, Verdict, sign_pdf, verify_pdf
from app.services.signing.stamp import STAMP_WIDTH, render_stamp, stamp_box
from tests.documents import samples
from tests.services.signing import support


def signed_minutes(name: str = "Nguyễn Thị Ánh", pdf: bytes | None = None) -> bytes:
    return sign_pdf(
        pdf if pdf is not None else support.minutes_pdf(),
        support.signer(name).source,
        reason="Thư ký hội nghị",
        location="Na Tông",
    )


def test_signed_minutes_verify_valid_then_one_changed_byte_breaks_them() -> None:
    anh = support.signer("Nguyễn Thị Ánh")
    signed = signed_minutes()

    report = verify_pdf(signed, [anh.pem])
    assert report.verdict is Verdict.VALID and report.valid
    (check,) = report.signatures
    assert check.signer_name == "Nguyễn Thị Ánh"
    assert check.reason == "Thư ký hội nghị" and check.location == "Na Tông"
    assert check.covers_whole_file
    assert check.signing_time is not None
    assert abs(check.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert check.certificate is not None and check.certificate.name == "Nguyễn Thị Ánh"

    # One byte of the minutes' text stream, well inside the signed range.
    offset = signed.index(b"stream", len(signed) // 3) + 40
    broken = verify_pdf(support.flip_byte(signed, offset), [anh.pem])
    assert broken.verdict is Verdict.CHANGED
    assert "đã bị thay đổi sau khi ký" in broken.message
    assert any("byte" in note for note in broken.signatures[0].notes)


def test_no_single_byte_change_anywhere_leaves_the_signature_valid() -> None:
    anh = support.signer("Nguyễn Thị Ánh")
    signed = signed_minutes()
    contents = signed.index(b"/Contents <") + len(b"/Contents <")
    padding_end = signed.index(b">", contents)
    # Every signed byte is covered; inside the CMS object only its structure and padding matter
    # (a flipped bit in an unused field of an embedded certificate leaves the document intact).
    stride = range(0, len(signed), len(signed) // 60)
    offsets = [o for o in stride if not contents <= o < padding_end] + [len(signed) - 1]
    offsets += [contents + 3, contents + 200, padding_end - 2, signed.index(b"/ByteRange") + 13]
    # The cross-reference table written with the signature: a reader that cannot find the
    # signature any more must not call the file unsigned.
    last_xref = signed.rindex(b"xref", 0, signed.rindex(b"trailer"))
    entries = re.finditer(rb"\d{10} \d{5} n", signed[last_xref:])
    offsets += [last_xref + entry.start() + 15 for entry in entries]  # the generation
    verdicts = {verify_pdf(support.flip_byte(signed, o), [anh.pem]).verdict for o in offsets}
    assert verdicts <= {Verdict.CHANGED, Verdict.DAMAGED}
    assert Verdict.CHANGED in verdicts


def test_an_intact_file_signed_by_an_untrusted_certificate_names_an_unknown_signer() -> None:
    stranger = support.signer("Người Lạ")
    signed = signed_minutes("Người Lạ")
    report = verify_pdf(signed, [support.signer("Nguyễn Thị Ánh").pem])
    assert report.verdict is Verdict.UNKNOWN_SIGNER
    assert report.signer_name == "Người Lạ"
    assert "không nằm trong danh sách chứng thư tin cậy" in report.message
    assert verify_pdf(signed, [stranger.pem]).verdict is Verdict.VALID
    assert verify_pdf(signed).verdict is Verdict.UNKNOWN_SIGNER  # empty trusted folder


def test_signing_keeps_the_document_text_fonts_and_pages() -> None:
    original = support.minutes_pdf()
    signed = signed_minutes()
    assert signed.startswith(original)  # an incremental update: the original bytes stay
    assert samples.pages(signed) == samples.pages(original)
    assert "BIÊN BẢN" in samples.flat(signed)
    assert samples.page_sizes(signed) == samples.page_sizes(original)
    fonts = support.all_fonts(signed)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert not any("Helvetica" in name for name, _embedded in fonts)


def test_the_visible_stamp_sits_bottom_right_of_the_last_page_in_vietnamese() -> None:
    signed = signed_minutes()
    reader = PdfReader(io.BytesIO(signed))
    last = reader.pages[-1]
    (annotation,) = [a.get_object() for a in last["/Annots"]]
    assert annotation["/FT"] == "/Sig" and annotation["/T"] == "ChuKySo1"
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
    width = float(last.mediabox.width)
    assert x2 > width * 0.85 and y2 < 20 * 72 / 25.4  # below the 20 mm bottom margin
    assert "/N" in annotation["/AP"]
    assert len(reader.pages) >= 2
    assert all(len(page.get("/Annots", []) or []) == 0 for page in reader.pages[:-1])
    stamp = render_stamp(x2 - x1, y2 - y1, "Nguyễn Thị Ánh", "25/11/2026 08:30")
    text = samples.flat(stamp)
    assert "Đã ký số bởi:" in text and "Nguyễn Thị Ánh" in text
    assert "Ngày ký: 25/11/2026 08:30" in text
    stamp_fonts = samples.fonts_of(stamp)
    assert stamp_fonts and all(embedded for _name, embedded in stamp_fonts)


def test_the_second_signer_keeps_the_first_signature_valid_and_gets_the_next_slot() -> None:
    first = signed_minutes("Nguyễn Thị Ánh")
    both = sign_pdf(
        first, support.signer("Lò Văn Pọm").source, reason="Chủ trì hội nghị", location="Na Tông"
    )
    trusted = [support.signer("Nguyễn Thị Ánh").pem, support.signer("Lò Văn Pọm").pem]
    report = verify_pdf(both, trusted)
    assert report.verdict is Verdict.VALID
    assert [c.signer_name for c in report.signatures] == ["Nguyễn Thị Ánh", "Lò Văn Pọm"]
    assert [c.covers_whole_file for c in report.signatures] == [False, True]
    assert report.signer_name == "Nguyễn Thị Ánh, Lò Văn Pọm"
    annotations = [a.get_object() for a in PdfReader(io.BytesIO(both)).pages[-1]["/Annots"]]
    rects = [float(a["/Rect"][0]) for a in annotations]
    assert rects[1] < rects[0]  # to the left of the first stamp
    only_second_trusted = verify_pdf(both, trusted[1:])
    assert only_second_trusted.verdict is Verdict.UNKNOWN_SIGNER
    assert [c.verdict for c in only_second_trusted.signatures] == [
        Verdict.UNKNOWN_SIGNER,
        Verdict.VALID,
    ]


def test_stamps_run_out_of_room_and_later_signatures_are_invisible() -> None:
    a4 = (0.0, 0.0, 595.0, 842.0)
    boxes = [stamp_box(a4, index) for index in range(4)]
    assert boxes[0] is not None and boxes[1] is not None
    assert boxes[0][2] - boxes[0][0] == round(STAMP_WIDTH)
    assert boxes[2] is None and boxes[3] is None
    three = signed_minutes()
    for name in ("Lò Văn Pọm", "Lường Văn Chiến"):
        three = sign_pdf(three, support.signer(name).source, reason="Ký", location="Na Tông")
    widgets = {
        str(a.get_object()["/T"]): float(a.get_object()["/Rect"][2] - a.get_object()["/Rect"][0])
        for page in PdfReader(io.BytesIO(three)).pages
        for a in page.get("/Annots", []) or []
    }
    assert widgets["ChuKySo1"] > 0 and widgets["ChuKySo2"] > 0 and widgets["ChuKySo3"] == 0
    trusted = [support.signer(n).pem for n in ("Nguyễn Thị Ánh", "Lò Văn Pọm", "Lường Văn Chiến")]
    assert verify_pdf(three, trusted).verdict is Verdict.VALID


def test_invisible_signature_and_name_override() -> None:
    signed = sign_pdf(
        support.minutes_pdf(),
        support.signer("Nguyễn Thị Ánh").source,
        reason="Thư ký",
        location="Na Tông",
        name=samples.nfd("Nguyễn Thị Ánh (thư ký)"),
        visible=False,
    )
    (annotation,) = [a.get_object() for a in PdfReader(io.BytesIO(signed)).pages[0]["/Annots"]]
    assert [float(v) for v in annotation["/Rect"]] == [0, 0, 0, 0]
    report = verify_pdf(signed, [support.signer("Nguyễn Thị Ánh").pem])
    assert report.verdict is Verdict.VALID
    assert report.signer_name == "Nguyễn Thị Ánh (thư ký)"  # NFC
    # A visible signature after an invisible one still takes the first slot, at the right.
    both = sign_pdf(signed, support.signer("Lò Văn Pọm").source, reason="", location="")
    last = PdfReader(io.BytesIO(both)).pages[-1]
    (stamp,) = [a.get_object() for a in last["/Annots"]]
    assert float(stamp["/Rect"][2]) > float(last.mediabox.width) * 0.85


def test_changes_appended_after_signing_are_changes() -> None:
    anh = support.signer("Nguyễn Thị Ánh")
    signed = signed_minutes()
    appended = verify_pdf(signed + "\n% sửa thêm\n".encode(), [anh.pem])
    assert appended.verdict is Verdict.CHANGED

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.add_stream_to_page(
        0, writer.add_object(generic.StreamObject(stream_data=b"BT 100 100 Td (HTXSNV) Tj ET"))
    )
    edited = io.BytesIO()
    writer.write(edited)
    report = verify_pdf(edited.getvalue(), [anh.pem])
    assert report.verdict is Verdict.CHANGED
    assert any("sửa thêm" in note for note in report.signatures[0].notes)


def test_not_signed_and_damaged_files() -> None:
    unsigned = verify_pdf(support.minutes_pdf())
    assert unsigned.verdict is Verdict.NOT_SIGNED and unsigned.signatures == ()
    assert unsigned.message == "Tệp PDF này không có chữ ký số nào."
    for junk in (b"", b"not a pdf at all", b"%PDF-1.4\n garbage without structure"):
        assert verify_pdf(junk).verdict is Verdict.DAMAGED
    signed = signed_minutes()
    assert verify_pdf(signed[: len(signed) // 2]).verdict in {Verdict.DAMAGED, Verdict.CHANGED}


def test_trusted_certificates_come_from_the_data_folder() -> None:
    signed = signed_minutes()
    assert verify_pdf(signed).verdict is Verdict.UNKNOWN_SIGNER
    (kept,) = signing.add_trusted_certificate(support.signer("Nguyễn Thị Ánh").pem)
    assert kept.parent == signing.trusted_dir() and kept.parent.name == "chung-thu"
    assert signing.add_trusted_certificate(kept) == [kept]  # not copied twice
    (kept.parent / "hong.pem").write_text("-----BEGIN CERTIFICATE-----\nxx\n")
    report = verify_pdf(signed)
    assert report.verdict is Verdict.VALID
    assert any("hong.pem" in note for note in report.notes)
    assert verify_pdf(signed, use_trusted_folder=False).verdict is Verdict.UNKNOWN_SIGNER


def test_trusting_the_issuing_authority_is_enough() -> None:
    issued = support.issued_signer("Giàng A Páo")
    signed = sign_pdf(support.minutes_pdf(), issued.source, reason="Chủ trì", location="Na Tông")
    assert verify_pdf(signed, [support.authority().pem]).verdict is Verdict.VALID
    report = verify_pdf(signed)
    assert report.verdict is Verdict.UNKNOWN_SIGNER
    assert report.signatures[0].certificate is not None
    assert report.signatures[0].certificate.issuer.startswith("CA thử nghiệm DanhGia")


def test_a_certificate_that_expired_after_signing_still_verifies_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed = signed_minutes()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=800)
    monkeypatch.setattr(signing_certs, "_now", lambda: later)
    report = verify_pdf(signed, [support.signer("Nguyễn Thị Ánh").pem])
    assert report.verdict is Verdict.VALID
    assert any("đã hết hạn" in note for note in report.signatures[0].notes)


def test_verification_lines_are_vietnamese_sentences() -> None:
    signed = signed_minutes()
    lines = signing.verification_lines(verify_pdf(signed, [support.signer("Nguyễn Thị Ánh").pem]))
    assert lines[0] == "Kết quả: Hợp lệ."
    assert "nguyên vẹn" in lines[1]
    assert lines[2] == "Chữ ký 1: Nguyễn Thị Ánh – hợp lệ."
    assert any(line.strip() == "Lý do: Thư ký hội nghị." for line in lines)
    assert any("tự cấp" in line for line in lines)
    changed = signing.verification_lines(verify_pdf(support.flip_byte(signed, 2000)))
    assert changed[0] == "Kết quả: Đã bị thay đổi sau khi ký."
    for verdict in Verdict:
        assert signing.verdict_label(verdict)
    assert signing.verification_lines(verify_pdf(b"x"))[0] == "Kết quả: Tệp bị hỏng."


# --- errors ---------------------------------------------------------------------------------


def sign_with(source: Pkcs12File) -> bytes:
    return sign_pdf(support.minutes_pdf(), source, reason="Thư ký", location="Na Tông")


def test_wrong_password_is_a_vietnamese_signing_error() -> None:
    source = support.signer("Nguyễn Thị Ánh").source
    with pytest.raises(SigningError, match="Mật khẩu của tệp chứng thư số không đúng"):
        sign_with(Pkcs12File(source.path, "sai mật khẩu"))
    with pytest.raises(SigningError, match="có mật khẩu; hãy nhập mật khẩu"):
        sign_with(Pkcs12File(source.path, ""))
    assert issubclass(SigningError, ServiceError)


def test_a_file_that_is_not_pkcs12_is_refused(tmp_path: Path) -> None:
    not_p12 = tmp_path / "chu-ky.p12"
    not_p12.write_bytes(support.minutes_pdf())
    with pytest.raises(SigningError, match=r"không phải tệp chứng thư số PKCS#12"):
        sign_with(Pkcs12File(not_p12, "x"))
    with pytest.raises(SigningError, match="Không tìm thấy tệp chứng thư số"):
        sign_with(Pkcs12File(tmp_path / "khong-co.p12", "x"))


def test_a_pkcs12_without_private_key_is_refused(tmp_path: Path) -> None:
    made = support.signer("Nguyễn Thị Ánh")
    _key, cert, _ = pkcs12.load_key_and_certificates(
        made.source.path.read_bytes(), support.PASSWORD.encode()
    )
    public_only = tmp_path / "cong-khai.p12"
    public_only.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", None, cert, None, serialization.BestAvailableEncryption(b"pw")
        )
    )
    with pytest.raises(SigningError, match="không chứa khóa bí mật"):
        sign_with(Pkcs12File(public_only, "pw"))


def test_an_expired_or_future_certificate_cannot_sign(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    old = signing.make_test_certificate(
        "Cũ", tmp_path / "cu.p12", "pw", valid_from=now - dt.timedelta(days=400), days=365
    )
    with pytest.raises(SigningError, match="đã hết hạn ngày"):
        sign_with(Pkcs12File(old, "pw"))
    future = signing.make_test_certificate(
        "Mới", tmp_path / "moi.p12", "pw", valid_from=now + dt.timedelta(days=2)
    )
    with pytest.raises(SigningError, match="chỉ có hiệu lực từ ngày"):
        sign_with(Pkcs12File(future, "pw"))


def test_a_pdf_that_cannot_be_read_is_refused() -> None:
    source = support.signer("Nguyễn Thị Ánh").source
    with pytest.raises(SigningError, match="không phải tệp PDF"):
        sign_pdf(b"hello", source, reason="", location="")
    with pytest.raises(SigningError, match="bị hỏng"):
        sign_pdf(b"%PDF-1.4\nbroken", source, reason="", location="")


def test_bad_trusted_certificates_passed_in_are_signing_errors(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="không phải chứng thư số hợp lệ"):
        verify_pdf(support.minutes_pdf(), [b"rubbish"])
    with pytest.raises(SigningError, match="Không tìm thấy tệp chứng thư"):
        verify_pdf(support.minutes_pdf(), [tmp_path / "none.pem"])


def test_signer_certificate_describes_who_signs() -> None:
    info = signing.signer_certificate(support.signer("Nguyễn Thị Ánh").source)
    assert info.name == "Nguyễn Thị Ánh"
    assert info.self_signed and not info.expired()
    assert len(info.fingerprint.split(":")) == 32


def test_an_independent_verifier_agrees(tmp_path: Path) -> None:
    """poppler's pdfsig (NSS), with certificate checks off so that it stays offline."""
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        pytest.fail("pdfsig is missing: install poppler-utils (the CI script does).", pytrace=False)
    signed = tmp_path / "bien-ban.pdf"
    signed.write_bytes(signed_minutes())
    result = subprocess.run([pdfsig, "-nocert", str(signed)], capture_output=True, text=True)
    assert "Signature Type: ETSI.CAdES.detached" in result.stdout
    assert "Signature Validation: Signature is Valid." in result.stdout
    assert "Total document signed" in result.stdout
    content = signed.read_bytes()
    signed.write_bytes(support.flip_byte(content, content.index(b"stream", len(content) // 3) + 40))
    result = subprocess.run([pdfsig, "-nocert", str(signed)], capture_output=True, text=True)
    assert "Signature Validation: Digest Mismatch." in result.stdout
