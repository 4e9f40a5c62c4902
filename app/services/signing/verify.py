"""Verifying the digital signatures of a PDF, offline, with a plain Vietnamese verdict.

Verdicts, for each signature and for the file (the worst one wins):

* ``VALID``: the signed bytes are unchanged, the signature matches them, nothing but further
  signatures was added afterwards, and the signer's certificate chains to a trusted one.
* ``CHANGED``: any byte the signature covers differs (the digest no longer matches), the
  signature value does not verify, the signature container was tampered with, or an update
  appended after signing changes more than adding signatures (pyHanko's difference analysis).
* ``UNKNOWN_SIGNER``: intact, but the certificate does not chain to a trusted certificate
  (the folder ``chung-thu`` of the data folder plus those passed in), or was not valid then.
* ``NOT_SIGNED``: a readable PDF without signatures.
* ``DAMAGED``: not a PDF, or a PDF too broken to read its signatures.

Trust is checked at the signing time the signer wrote into the file (there is no trusted
timestamp offline), so minutes signed with a certificate that has since expired stay valid;
the report notes such an expiry. Revocation is not checked and nothing is fetched: the
validation context has ``allow_fetching=False``, revocation ``soft-fail`` and explicit trust
roots (never the operating system's list).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    KeyUsageConstraints,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.sign.validation.pdf_embedded import extract_contents
from pyhanko_certvalidator import ValidationContext

from app.domain.formatting import format_date
from app.domain.text import clean
from app.services.signing.certificates import (
    Certificate,
    CertificateInfo,
    CertificateSource,
    certificate_info,
    combine_trusted,
)

log = logging.getLogger(__name__)
# pyHanko logs every untrusted chain with a traceback; keep that in the app's log (when one
# is configured) and out of the terminal of `danhgia verify`.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# What may follow a signature without it counting as a change: nothing, validation data,
# or form filling, which is how pyHanko classifies a further signature.
_ALLOWED_AFTER_SIGNING = ModificationLevel.FORM_FILLING
# Vietnamese CAs issue signing certificates with digitalSignature and/or nonRepudiation.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


class Verdict(enum.StrEnum):
    VALID = "valid"
    CHANGED = "changed"
    UNKNOWN_SIGNER = "unknown_signer"
    NOT_SIGNED = "not_signed"
    DAMAGED = "damaged"


_SEVERITY = {
    Verdict.VALID: 0,
    Verdict.NOT_SIGNED: 1,
    Verdict.UNKNOWN_SIGNER: 2,
    Verdict.CHANGED: 3,
    Verdict.DAMAGED: 4,
}

_LABELS = {
    Verdict.VALID: "Hợp lệ",
    Verdict.CHANGED: "Đã bị thay đổi sau khi ký",
    Verdict.UNKNOWN_SIGNER: "Không xác định được người ký",
    Verdict.NOT_SIGNED: "Chưa được ký số",
    Verdict.DAMAGED: "Tệp bị hỏng",
}

_SENTENCES = {
    Verdict.VALID: (
        "Văn bản còn nguyên vẹn từ khi ký và người ký có chứng thư số được tin cậy trên máy này."
    ),
    Verdict.CHANGED: (
        "Văn bản đã bị thay đổi sau khi ký: nội dung hiện tại không còn khớp với chữ ký số. "
        "Không dùng bản này; hãy lấy lại bản gốc đã ký."
    ),
    Verdict.UNKNOWN_SIGNER: (
        "Văn bản còn nguyên vẹn từ khi ký, nhưng chứng thư số của người ký không nằm trong "
        "danh sách chứng thư tin cậy của máy này. Hãy đối chiếu người ký trước khi dùng."
    ),
    Verdict.NOT_SIGNED: "Tệp PDF này không có chữ ký số nào.",
    Verdict.DAMAGED: "Tệp bị hỏng hoặc không phải tệp PDF nên không kiểm tra được chữ ký số.",
}


def verdict_label(verdict: Verdict) -> str:
    return _LABELS[verdict]


def verdict_sentence(verdict: Verdict) -> str:
    return _SENTENCES[verdict]


@dataclass(frozen=True)
class SignatureCheck:
    """The result for one signature, in signing order."""

    field_name: str
    verdict: Verdict
    signer_name: str
    signing_time: dt.datetime | None
    """The time the signer's software wrote into the signature (not a trusted timestamp)."""
    reason: str
    location: str
    certificate: CertificateInfo | None
    covers_whole_file: bool
    """False when something (e.g. a later signature) was appended after this signature."""
    notes: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return verdict_sentence(self.verdict)


@dataclass(frozen=True)
class VerificationReport:
    verdict: Verdict
    signatures: tuple[SignatureCheck, ...]
    notes: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return verdict_sentence(self.verdict)

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID

    @property
    def signer_name(self) -> str:
        """The signers' names in signing order, joined by commas."""
        return ", ".join(check.signer_name for check in self.signatures if check.signer_name)

    @property
    def signing_time(self) -> dt.datetime | None:
        """The time of the last signature."""
        times = [check.signing_time for check in self.signatures if check.signing_time]
        return times[-1] if times else None


def _validation_context(
    roots: Iterable[Certificate], moment: dt.datetime | None
) -> ValidationContext:
    """Offline: explicit trust roots only, no fetching, revocation not required."""
    return ValidationContext(
        trust_roots=list(roots),
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment if moment is not None and moment.tzinfo is not None else None,
    )


def _padding_tampered(signature: EmbeddedPdfSignature) -> bool:
    """True when bytes were changed in the zero padding after the CMS object in /Contents:
    pyHanko ignores that padding, but it is part of the file the signer produced."""
    contents = extract_contents(signature.sig_object)
    length = len(cms.ContentInfo.load(contents).dump())
    return any(contents[length:])


def _text_entry(signature: EmbeddedPdfSignature, key: str) -> str:
    value = signature.sig_object.get(key)
    return clean(str(value)) if value is not None else ""


def _untrusted_note(status: PdfSignatureStatus, at: dt.datetime | None) -> str:
    indication = status.trust_problem_indic
    when = f" (ngày {format_date(at.date())})" if at else ""
    if indication in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE):
        return f"Chứng thư số đã hết hạn vào thời điểm ký{when}."
    if indication in (AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID):
        return f"Chứng thư số chưa có hiệu lực vào thời điểm ký{when}."
    if indication is AdESIndeterminate.SIG_CONSTRAINTS_FAILURE:
        return "Chứng thư số không được phép dùng để ký văn bản."
    if indication is AdESFailure.REVOKED:
        return "Chứng thư số đã bị thu hồi."
    return "Chứng thư số không nối được tới chứng thư tin cậy nào trên máy này."


def _unreadable(field_name: str, **known: object) -> SignatureCheck:
    values: dict[str, object] = {
        "field_name": field_name,
        "signer_name": "",
        "signing_time": None,
        "reason": "",
        "location": "",
        "certificate": None,
    }
    values.update(known)
    return SignatureCheck(
        **values,
        verdict=Verdict.CHANGED,
        covers_whole_file=False,
        notes=("Dữ liệu chữ ký số đã bị sửa nên không kiểm tra được.",),
    )


def _check_one(
    signature: EmbeddedPdfSignature, roots: tuple[Certificate, ...], *, last: bool
) -> SignatureCheck:
    """*last*: the file's last signature, which must cover every byte of the file."""
    certificate = None
    try:
        certificate = certificate_info(signature.signer_cert)
    except Exception:  # a CMS object without a readable signer certificate
        log.warning("signature %s has no readable signer certificate", signature.field_name)
    try:
        claimed = signature.self_reported_timestamp
    except Exception:  # a malformed /M
        claimed = None
    base = {
        "field_name": str(signature.field_name),
        "signer_name": _text_entry(signature, "/Name") or (certificate.name if certificate else ""),
        "signing_time": claimed,
        "reason": _text_entry(signature, "/Reason"),
        "location": _text_entry(signature, "/Location"),
        "certificate": certificate,
    }
    try:
        status = validate_pdf_signature(
            signature,
            signer_validation_context=_validation_context(roots, claimed),
            key_usage_settings=_KEY_USAGE,
        )
        padding_tampered = _padding_tampered(signature)
    except Exception as exc:  # pyHanko raises many kinds on tampered signature data
        log.warning("signature %s cannot be checked: %r", signature.field_name, exc)
        return _unreadable(**base)
    covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    notes: list[str] = []
    if not status.intact:
        verdict = Verdict.CHANGED
        notes.append("Nội dung đã ký không còn khớp với chữ ký: ít nhất một byte đã bị thay đổi.")
    elif not status.valid or padding_tampered:
        verdict = Verdict.CHANGED
        notes.append("Dữ liệu chữ ký số đã bị sửa.")
    elif (
        status.coverage is None
        or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
        or (last and not covers_whole_file)
        or status.docmdp_ok is False
        or level is None
        or level.value > _ALLOWED_AFTER_SIGNING.value
    ):
        verdict = Verdict.CHANGED
        notes.append("Sau khi ký, tệp đã bị sửa thêm (không chỉ thêm chữ ký số khác).")
    elif status.trusted:
        verdict = Verdict.VALID
    else:
        verdict = Verdict.UNKNOWN_SIGNER
        notes.append(_untrusted_note(status, claimed))
    if verdict is not Verdict.CHANGED and not covers_whole_file:
        notes.append("Sau chữ ký này, tệp có thêm chữ ký số khác.")
    if verdict is Verdict.VALID and certificate is not None and certificate.expired():
        notes.append(
            f"Chứng thư số đã hết hạn ngày {format_date(certificate.valid_to.date())}, "
            "sau thời điểm ký; chữ ký được kiểm tra theo thời điểm ký ghi trong tệp."
        )
    return SignatureCheck(
        **base, verdict=verdict, covers_whole_file=covers_whole_file, notes=tuple(notes)
    )


_SIGNATURE_TRACE = re.compile(rb"/ByteRange\s*\[")


def verify_pdf(
    pdf: bytes, trusted: Iterable[CertificateSource] = (), *, use_trusted_folder: bool = True
) -> VerificationReport:
    """Check every signature of *pdf* against the trusted certificates: those kept in the data
    folder's ``chung-thu`` (unless *use_trusted_folder* is false) plus *trusted* (PEM/DER bytes,
    paths or certificates). Never touches the network. Raises SigningError only for a bad
    certificate passed in *trusted*; a bad PDF is a ``DAMAGED`` verdict."""
    trust = combine_trusted(trusted, use_folder=use_trusted_folder)
    head = pdf[:1024]
    if b"%PDF-" not in head:
        return VerificationReport(Verdict.DAMAGED, (), trust.problems)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        every = [
            (str(name), value.get_object().get("/Type"), field)
            for name, value, field in fields.enumerate_sig_fields(reader, filled_status=True)
        ]
    except Exception as exc:  # a broken PDF raises anything from PdfReadError to KeyError
        log.warning("unreadable PDF: %r", exc)
        return VerificationReport(Verdict.DAMAGED, (), trust.problems)
    filled = [(name, field) for name, kind, field in every if kind != "/DocTimeStamp"]
    # A document timestamp (PAdES-LTA, from other software) may follow the last signature.
    timestamped = len(filled) < len(every)
    if not filled:
        # A signature dictionary in the bytes that the reader cannot reach (a damaged cross-
        # reference table, say) is a broken signed file, never an unsigned one.
        verdict = Verdict.DAMAGED if _SIGNATURE_TRACE.search(pdf) else Verdict.NOT_SIGNED
        return VerificationReport(verdict, (), trust.problems)
    signatures: list[EmbeddedPdfSignature] = []
    broken: list[SignatureCheck] = []
    for name, field in filled:
        try:
            signatures.append(EmbeddedPdfSignature(reader, field, name))
        except Exception as exc:  # the signature dictionary or its CMS object was altered
            log.warning("signature %s cannot be read: %r", name, exc)
            broken.append(_unreadable(name))
    signatures.sort(key=lambda signature: signature.signed_revision)
    checks = tuple(
        _check_one(
            signature,
            trust.certificates,
            last=index == len(signatures) - 1 and not broken and not timestamped,
        )
        for index, signature in enumerate(signatures)
    ) + tuple(broken)
    verdict = max((check.verdict for check in checks), key=_SEVERITY.__getitem__)
    return VerificationReport(verdict, checks, trust.problems)


def _time_text(moment: dt.datetime | None) -> str:
    if moment is None:
        return "không rõ"
    local = moment.astimezone()
    return f"{local:%H:%M} ngày {format_date(local.date())}"


def verification_lines(report: VerificationReport) -> list[str]:
    """The report as lines of Vietnamese text, for ``danhgia verify`` and for the window."""
    lines = [f"Kết quả: {verdict_label(report.verdict)}.", report.message]
    for number, check in enumerate(report.signatures, start=1):
        lines.append(
            f"Chữ ký {number}: {check.signer_name or 'không rõ tên'} – "
            f"{verdict_label(check.verdict).lower()}."
        )
        lines.append(f"  Thời điểm ký (theo người ký): {_time_text(check.signing_time)}.")
        if check.reason:
            lines.append(f"  Lý do: {check.reason}.")
        if check.location:
            lines.append(f"  Nơi ký: {check.location}.")
        if check.certificate is not None:
            info = check.certificate
            issuer = "tự cấp" if info.self_signed else f"do {info.issuer} cấp"
            lines.append(f"  Chứng thư số: {info.subject}; {issuer}; hiệu lực {info.validity}.")
            lines.append(f"  Dấu vân tay SHA-256: {info.fingerprint}.")
        lines.extend(f"  {note}" for note in check.notes)
    lines.extend(report.notes)
    return lines
