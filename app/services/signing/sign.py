"""Digital signatures on the minutes and decisions (PAdES, pyHanko), offline.

A document is signed with a PKCS#12 certificate file (.p12/.pfx) or with a USB token through
its vendor's PKCS#11 driver. The signature is PAdES baseline B-B (ETSI.CAdES.detached, SHA-256)
with the signing time in the signature dictionary (``/M``; PAdES forbids the CMS signing-time
attribute). No timestamp server, no OCSP, no CRL: nothing here opens a network connection.
Each signature is an incremental update, so a second signer (the chair after the secretary)
keeps the first signature valid.

Verification lives in :mod:`app.services.signing.verify` and certificates in
:mod:`app.services.signing.certificates`; this module re-exports what callers need.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError

from app.domain.text import clean
from app.services.common.errors import os_error_reason
from app.services.signing.certificates import (
    Certificate,
    CertificateInfo,
    SigningError,
    TrustedCertificates,
    add_trusted_certificate,
    certificate_info,
    certificate_pem,
    check_usable_for_signing,
    common_name,
    load_certificates,
    make_test_certificate,
    trusted_certificates,
    trusted_dir,
)
from app.services.signing.stamp import VietnameseStampStyle, stamp_box
from app.services.signing.verify import (
    SignatureCheck,
    Verdict,
    VerificationReport,
    verdict_label,
    verification_lines,
    verify_pdf,
)

__all__ = [
    "CertificateInfo",
    "Pkcs11Token",
    "Pkcs12File",
    "SignatureCheck",
    "SignerSource",
    "SigningError",
    "TokenInfo",
    "TrustedCertificates",
    "Verdict",
    "VerificationReport",
    "add_trusted_certificate",
    "certificate_pem",
    "list_tokens",
    "load_certificates",
    "make_test_certificate",
    "sign_pdf",
    "signer_certificate",
    "trusted_certificates",
    "trusted_dir",
    "verdict_label",
    "verification_lines",
    "verify_pdf",
]

log = logging.getLogger(__name__)

FIELD_PREFIX = "ChuKySo"


@dataclass(frozen=True)
class Pkcs12File:
    """A certificate file (.p12 / .pfx) holding the signer's private key."""

    path: Path
    password: str = field(default="", repr=False)


@dataclass(frozen=True)
class Pkcs11Token:
    """A USB token reached through the vendor's PKCS#11 driver (a .dll / .so / .dylib).

    The token is chosen by *slot* (its index in :func:`list_tokens`) or *token_label*, else the
    only token present. The key is chosen by *key_label*, else the only signing key on it.
    """

    module_path: str | os.PathLike[str]
    pin: str = field(default="", repr=False)
    token_label: str | None = None
    slot: int | None = None
    key_label: str | None = None


SignerSource = Pkcs12File | Pkcs11Token


@dataclass(frozen=True)
class TokenInfo:
    slot: int
    """Index of the slot, to pass back as :attr:`Pkcs11Token.slot`."""
    label: str
    manufacturer: str
    model: str
    serial: str


# --- PKCS#12 ------------------------------------------------------------------------------


def _is_pkcs12(data: bytes) -> bool:
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in (
            "data",
            "signed_data",
        )
    except Exception:  # asn1crypto raises ValueError, TypeError, KeyError…
        return False


def _pkcs12_signer(source: Pkcs12File) -> signers.SimpleSigner:
    path = Path(source.path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SigningError(f"Không tìm thấy tệp chứng thư số “{path}”.") from exc
    except OSError as exc:
        reason, advice = os_error_reason(exc)
        raise SigningError(f"Không đọc được tệp chứng thư số “{path}”: {reason}. {advice}") from exc
    if not _is_pkcs12(data):
        raise SigningError(
            f"Tệp “{path.name}” không phải tệp chứng thư số PKCS#12 (.p12 hoặc .pfx)."
        )
    password = source.password.encode("utf-8") if source.password else None
    key = cert = None
    for attempt in (password, b"") if password is None else (password,):
        try:
            key, cert, _others = pkcs12.load_key_and_certificates(data, attempt)
            password = attempt
            break
        except ValueError:
            continue
    else:
        if source.password:
            raise SigningError("Mật khẩu của tệp chứng thư số không đúng.")
        raise SigningError("Tệp chứng thư số có mật khẩu; hãy nhập mật khẩu.")
    if key is None:
        raise SigningError(
            f"Tệp “{path.name}” không chứa khóa bí mật nên không dùng để ký được "
            "(có lẽ đây là tệp chỉ chứa chứng thư công khai)."
        )
    if cert is None:
        raise SigningError(f"Tệp “{path.name}” không chứa chứng thư số của người ký.")
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise SigningError(
            f"Không dùng được khóa trong tệp “{path.name}” để ký (loại khóa không được hỗ trợ)."
        ) from exc
    return signer


# --- PKCS#11 ------------------------------------------------------------------------------


def _module(module_path: str | os.PathLike[str]) -> Any:
    """The loaded PKCS#11 driver; a Vietnamese SigningError when it is missing or not one."""
    try:
        import pkcs11
    except ImportError as exc:  # pragma: no cover - python-pkcs11 is a dependency
        raise SigningError("Bản DanhGia này không hỗ trợ USB token (thiếu python-pkcs11).") from exc
    text = str(module_path).strip()
    path = Path(text)
    # A bare file name ("vnpt-ca_csp11.dll") is left to the system's library search path.
    bare = bool(text) and path.name == text
    not_found = SigningError(
        f"Không tìm thấy trình điều khiển (driver) của USB token “{text}”. "
        "Hãy cài phần mềm của nhà cung cấp chữ ký số hoặc chọn đúng tệp .dll/.so của token."
    )
    if not text or (not bare and not path.is_file()):
        raise not_found
    try:
        return pkcs11.lib(text)
    except Exception as exc:  # python-pkcs11 raises PKCS11Error (a RuntimeError) and others
        log.warning("cannot load PKCS#11 module %s: %s", text, exc)
        if bare:
            raise not_found from exc
        raise SigningError(
            f"Không nạp được trình điều khiển (driver) của USB token “{path.name}”: tệp này "
            "không phải thư viện PKCS#11 hoặc không hợp với máy (32/64 bit)."
        ) from exc


def _text(value: object) -> str:
    return clean(str(value).rstrip("\x00 ")) if value is not None else ""


def _present_slots(lib: Any) -> list[tuple[int, Any, Any]]:
    """(index, slot, token) for each slot holding a token; the index is into get_slots()."""
    import pkcs11.exceptions as p11

    found = []
    try:
        slots = lib.get_slots()
    except p11.PKCS11Error as exc:
        raise SigningError("Trình điều khiển USB token báo lỗi khi liệt kê khe cắm.") from exc
    for index, slot in enumerate(slots):
        try:
            found.append((index, slot, slot.get_token()))
        except p11.PKCS11Error:  # TokenNotPresent, TokenNotRecognised, …
            continue
    return found


def list_tokens(module_path: str | os.PathLike[str]) -> list[TokenInfo]:
    """The tokens plugged in and seen by the driver at *module_path* (no PIN needed)."""
    lib = _module(module_path)
    return [
        TokenInfo(
            slot=index,
            label=_text(token.label),
            manufacturer=_text(token.manufacturer_id),
            model=_text(token.model),
            serial=_text(token.serial.decode("ascii", "replace"))
            if isinstance(token.serial, bytes)
            else _text(token.serial),
        )
        for index, _slot, token in _present_slots(lib)
    ]


def _choose_token(source: Pkcs11Token) -> Any:
    present = _present_slots(_module(source.module_path))
    if not present:
        raise SigningError("Không thấy USB token nào. Hãy cắm token vào máy rồi thử lại.")
    candidates = present
    if source.slot is not None:
        candidates = [entry for entry in candidates if entry[0] == source.slot]
    if source.token_label is not None:
        wanted = clean(source.token_label)
        candidates = [entry for entry in candidates if _text(entry[2].label) == wanted]
    if not candidates:
        raise SigningError(
            "Không thấy USB token đã chọn"
            + (f" “{source.token_label}”" if source.token_label else "")
            + ". Hãy kiểm tra token đã cắm vào máy chưa."
        )
    if len(candidates) > 1:
        labels = ", ".join(f"“{_text(entry[2].label)}”" for entry in candidates)
        raise SigningError(f"Có nhiều USB token đang cắm ({labels}); hãy chọn một token.")
    return candidates[0][2]


def _open_session(source: Pkcs11Token) -> Any:
    import pkcs11.exceptions as p11

    token = _choose_token(source)
    try:
        return token.open(user_pin=source.pin or None)
    except p11.PinIncorrect as exc:
        raise SigningError("Mã PIN của USB token không đúng.") from exc
    except p11.PinLocked as exc:
        raise SigningError(
            "USB token đã bị khóa do nhập sai mã PIN nhiều lần; hãy liên hệ nhà cung cấp."
        ) from exc
    except (p11.PinLenRange, p11.PinInvalid) as exc:
        raise SigningError("Mã PIN của USB token không hợp lệ (sai độ dài hoặc ký tự).") from exc
    except (p11.PinExpired, p11.UserPinNotInitialized) as exc:
        raise SigningError("Mã PIN của USB token đã hết hạn hoặc chưa được đặt.") from exc
    except (p11.DeviceRemoved, p11.TokenNotPresent) as exc:
        raise SigningError("USB token vừa bị rút ra; hãy cắm lại rồi thử lại.") from exc
    except p11.PKCS11Error as exc:
        raise SigningError(
            f"USB token báo lỗi khi mở phiên làm việc ({type(exc).__name__})."
        ) from exc


def _token_key_and_certificate(session: Any, key_label: str | None) -> tuple[bytes, Certificate]:
    """The ID of the signing key (by label, else the only one) and its certificate."""
    from pkcs11 import Attribute, ObjectClass

    query: dict[Any, Any] = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
    if key_label:
        query[Attribute.LABEL] = key_label
    keys = list(session.get_objects(query))
    if not keys:
        raise SigningError(
            "Không tìm thấy khóa bí mật"
            + (f" “{key_label}”" if key_label else "")
            + " trên USB token (hoặc mã PIN chưa được nhập)."
        )
    if len(keys) > 1:
        labels = ", ".join(f"“{_text(key.label)}”" for key in keys)
        raise SigningError(f"USB token có nhiều khóa ({labels}); hãy chọn khóa để ký.")
    key = keys[0]
    key_id = key[Attribute.ID]
    certificates = list(
        session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: key_id})
    )
    if not certificates:
        every = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
        certificates = every if len(every) == 1 else []
    if not certificates:
        raise SigningError("Không tìm thấy chứng thư số đi kèm khóa bí mật trên USB token.")
    return key_id, Certificate.load(certificates[0][Attribute.VALUE])


# --- signing ------------------------------------------------------------------------------


def signer_certificate(source: SignerSource) -> CertificateInfo:
    """Who would sign with *source* (needs the password or PIN), for the window to show."""
    if isinstance(source, Pkcs12File):
        return certificate_info(_pkcs12_signer(source).signing_cert)
    session = _open_session(source)
    try:
        return certificate_info(_token_key_and_certificate(session, source.key_label)[1])
    finally:
        session.close()


def _read_for_signing(pdf: bytes) -> IncrementalPdfFileWriter:
    if not pdf.lstrip()[:5] == b"%PDF-":
        raise SigningError("Dữ liệu cần ký không phải tệp PDF.")
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SigningError("Tệp PDF bị hỏng, không đọc được để ký.") from exc
    if writer.prev.encrypted:
        raise SigningError("Tệp PDF đã được đặt mật khẩu; DanhGia không ký tệp được mã hóa.")
    return writer


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _field_spec(writer: IncrementalPdfFileWriter, visible: bool) -> fields.SigFieldSpec:
    """A new signature field: named ChuKySo<n>, with a stamp in the first free slot at the
    bottom of the last page, or invisible when asked or when no slot is free."""
    existing = list(fields.enumerate_sig_fields(writer))
    names = {name for name, _value, _ref in existing}
    number = len(existing) + 1
    while f"{FIELD_PREFIX}{number}" in names:
        number += 1
    name = f"{FIELD_PREFIX}{number}"
    invisible = fields.SigFieldSpec(sig_field_name=name)
    if not visible:
        return invisible
    last = int(writer.root["/Pages"]["/Count"]) - 1
    page_ref, _resources = writer.find_page_for_modification(last)
    page = page_ref.get_object()
    rotate = find_inherited_value_in_tree(page, "/Rotate", "/Parent")
    media_box = find_inherited_value_in_tree(page, "/MediaBox", "/Parent")
    if media_box is None or int(rotate or 0) % 360:
        return invisible
    taken = []
    for annotation in page.get("/Annots", []) or []:
        rect = annotation.get_object().get("/Rect")
        if rect is not None and len(rect) == 4:
            taken.append(tuple(float(v) for v in rect))
    index = 0
    while (box := stamp_box(tuple(float(v) for v in media_box), index)) is not None:
        if not any(_overlaps(box, other) for other in taken):
            return fields.SigFieldSpec(sig_field_name=name, on_page=last, box=box)
        index += 1
    return invisible


def _sign_with(
    signer: signers.Signer,
    certificate: Certificate,
    pdf: bytes,
    *,
    reason: str,
    location: str,
    name: str | None,
    visible: bool,
) -> bytes:
    check_usable_for_signing(certificate)
    writer = _read_for_signing(pdf)
    spec = _field_spec(writer, visible)
    signer_name = clean(name) if name and clean(name) else common_name(certificate)
    metadata = signers.PdfSignatureMetadata(
        field_name=spec.sig_field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=clean(reason) or None,
        location=clean(location) or None,
        name=signer_name,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer, stamp_style=VietnameseStampStyle(), new_field_spec=spec
    )
    try:
        output = pdf_signer.sign_pdf(writer)
    except PyHankoSigningError as exc:
        log.warning("signing failed: %s", exc)
        raise SigningError(
            "Không ký được tệp PDF (thư viện ký số từ chối; chi tiết ghi trong nhật ký)."
        ) from exc
    except PdfError as exc:
        raise SigningError("Tệp PDF bị hỏng, không ký được.") from exc
    return output.getvalue()


def sign_pdf(
    pdf: bytes,
    signer: SignerSource,
    *,
    reason: str,
    location: str,
    name: str | None = None,
    visible: bool = True,
) -> bytes:
    """Return *pdf* signed by *signer* (PAdES B-B, SHA-256, signing time in ``/M``).

    *reason* (e.g. "Thư ký hội nghị") and *location* (the commune) go into the signature;
    *name* is the signer's name as shown, defaulting to the certificate's common name. With
    *visible*, a small stamp "Đã ký số bởi … / Ngày ký …" is drawn at the bottom of the last
    page (the first signature at the right, the next to its left; further ones are invisible).
    Raises SigningError in Vietnamese: wrong password or PIN, not a PKCS#12 file, no private
    key, expired certificate, token driver missing, unreadable PDF…
    """
    if isinstance(signer, Pkcs12File):
        simple = _pkcs12_signer(signer)
        return _sign_with(
            simple,
            simple.signing_cert,
            pdf,
            reason=reason,
            location=location,
            name=name,
            visible=visible,
        )
    from pyhanko.sign.pkcs11 import PKCS11Signer

    session = _open_session(signer)
    try:
        key_id, certificate = _token_key_and_certificate(session, signer.key_label)
        token_signer = PKCS11Signer(
            session,
            key_id=key_id,
            signing_cert=certificate,
            other_certs_to_pull=None,  # the CA certificates kept on the token, for the chain
        )
        try:
            return _sign_with(
                token_signer,
                certificate,
                pdf,
                reason=reason,
                location=location,
                name=name,
                visible=visible,
            )
        except SigningError:
            raise
        except Exception as exc:  # PKCS#11 failures surface from inside pyHanko's event loop
            import pkcs11.exceptions as p11

            if isinstance(exc, p11.PKCS11Error):
                raise SigningError(
                    f"USB token báo lỗi khi ký ({type(exc).__name__}); hãy thử lại."
                ) from exc
            raise
    finally:
        session.close()
