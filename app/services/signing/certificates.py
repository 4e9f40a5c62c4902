"""Certificates for digital signatures: reading them, describing them to the user, the folder of
trusted certificates, and a self-signed test certificate.

Trust is local and offline: a signer is trusted when their certificate, or a certificate that
issued it, is a PEM file in ``<data folder>/chung-thu`` (or is passed in by the caller). Nothing
here ever fetches a certificate, a revocation list or an OCSP answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app import paths
from app.domain.formatting import format_date
from app.domain.text import clean
from app.services.common.errors import ServiceError, os_error_reason

log = logging.getLogger(__name__)

TRUSTED_DIR_NAME = "chung-thu"
TRUSTED_SUFFIXES = (".pem", ".crt", ".cer", ".der")

Certificate = asn1_x509.Certificate
CertificateSource = bytes | str | os.PathLike[str] | Certificate


class SigningError(ServiceError):
    """Signing or verifying cannot go on; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the user needs to recognise a certificate."""

    name: str
    """The holder's common name (CN), else the whole subject."""
    subject: str
    issuer: str
    serial: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    fingerprint: str
    """SHA-256 of the DER certificate, upper-case hex in pairs separated by colons."""
    self_signed: bool

    def expired(self, at: dt.datetime | None = None) -> bool:
        return (at or _now()) > self.valid_to

    def not_yet_valid(self, at: dt.datetime | None = None) -> bool:
        return (at or _now()) < self.valid_from

    @property
    def validity(self) -> str:
        return f"{format_date(self.valid_from.date())}–{format_date(self.valid_to.date())}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Most specific first; identity numbers (UID, serial number) are left out of what is shown.
_NAME_PARTS = (
    "common_name",
    "title",
    "organizational_unit_name",
    "organization_name",
    "locality_name",
    "state_or_province_name",
    "country_name",
)


def _name_text(name: asn1_x509.Name) -> str:
    """The parts of a distinguished name a person reads, most specific first."""
    native = name.native
    parts: list[str] = []
    for key in _NAME_PARTS:
        value = native.get(key)
        for item in value if isinstance(value, list) else [value]:
            if item and clean(str(item)) not in parts:
                parts.append(clean(str(item)))
    return ", ".join(parts) or clean(name.human_friendly)


def common_name(cert: Certificate) -> str:
    """The holder's common name, falling back to the whole subject."""
    for rdn in cert.subject.chosen:
        for attribute in rdn:
            if attribute["type"].native == "common_name":
                return clean(str(attribute["value"].native))
    return _name_text(cert.subject)


def fingerprint(cert: Certificate) -> str:
    digest = hashlib.sha256(cert.dump()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def certificate_info(cert: Certificate) -> CertificateInfo:
    validity = cert["tbs_certificate"]["validity"]
    return CertificateInfo(
        name=common_name(cert),
        subject=_name_text(cert.subject),
        issuer=_name_text(cert.issuer),
        serial=format(cert.serial_number, "X"),
        valid_from=validity["not_before"].native,
        valid_to=validity["not_after"].native,
        fingerprint=fingerprint(cert),
        self_signed=cert.self_signed != "no",
    )


def check_usable_for_signing(cert: Certificate, at: dt.datetime | None = None) -> None:
    """Refuse a certificate that is expired or not yet valid (a signature made with it would be
    rejected by every verifier)."""
    info = certificate_info(cert)
    if info.expired(at):
        raise SigningError(
            f"Chứng thư số của “{info.name}” đã hết hạn ngày {format_date(info.valid_to.date())}; "
            "không thể ký bằng chứng thư này."
        )
    if info.not_yet_valid(at):
        raise SigningError(
            f"Chứng thư số của “{info.name}” chỉ có hiệu lực từ ngày "
            f"{format_date(info.valid_from.date())}; chưa thể ký bằng chứng thư này."
        )


def _parse_certificates(data: bytes, origin: str) -> list[Certificate]:
    try:
        if pem.detect(data):
            found = [
                Certificate.load(der)
                for kind, _headers, der in pem.unarmor(data, multiple=True)
                if kind in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")
            ]
        else:
            found = [Certificate.load(data)]
        for cert in found:
            cert.native  # noqa: B018 - parse every field now, not when validation needs it
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError…
        raise SigningError(f"{origin} không phải chứng thư số hợp lệ (PEM hoặc DER).") from exc
    if not found:
        raise SigningError(f"{origin} không chứa chứng thư số nào.")
    return found


def load_certificates(source: CertificateSource) -> list[Certificate]:
    """The certificates in *source*: PEM or DER bytes, a path to such a file, or a certificate."""
    if isinstance(source, Certificate):
        return [source]
    if isinstance(source, bytes):
        return _parse_certificates(source, "Dữ liệu")
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SigningError(f"Không tìm thấy tệp chứng thư “{path}”.") from exc
    except OSError as exc:
        reason, advice = os_error_reason(exc)
        raise SigningError(f"Không đọc được tệp chứng thư “{path}”: {reason}. {advice}") from exc
    return _parse_certificates(data, f"Tệp “{path.name}”")


def certificate_pem(cert: Certificate) -> bytes:
    return pem.armor("CERTIFICATE", cert.dump())


# --- the folder of trusted certificates ------------------------------------------------------


def trusted_dir() -> Path:
    """``<data folder>/chung-thu``, created when missing."""
    path = paths.data_dir() / TRUSTED_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class TrustedCertificates:
    certificates: tuple[Certificate, ...]
    problems: tuple[str, ...]
    """One Vietnamese sentence per file of the folder that could not be read (it is skipped)."""


def trusted_certificates() -> TrustedCertificates:
    """Every certificate kept in the trusted folder. A file that cannot be read is skipped and
    named in ``problems`` rather than stopping every verification."""
    certificates: list[Certificate] = []
    problems: list[str] = []
    for path in sorted(trusted_dir().iterdir()):
        if not path.is_file() or path.suffix.lower() not in TRUSTED_SUFFIXES:
            continue
        try:
            certificates.extend(load_certificates(path))
        except SigningError as exc:
            log.warning("skipping trusted certificate %s: %s", path, exc)
            problems.append(f"Bỏ qua tệp “{path.name}” trong thư mục chứng thư tin cậy: {exc}")
    return TrustedCertificates(tuple(certificates), tuple(problems))


def add_trusted_certificate(source: CertificateSource) -> list[Path]:
    """Copy the certificate(s) of *source* into the trusted folder as PEM files named by their
    fingerprint; a certificate already there is not copied twice. Returns the files."""
    written = []
    for cert in load_certificates(source):
        info = certificate_info(cert)
        target = trusted_dir() / f"{info.fingerprint.replace(':', '')[:16].lower()}.pem"
        if not target.exists():
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(certificate_pem(cert))
            temporary.replace(target)
        written.append(target)
    return written


def combine_trusted(
    extra: Iterable[CertificateSource], *, use_folder: bool = True
) -> TrustedCertificates:
    """The folder's certificates (unless *use_folder* is false) plus *extra*."""
    folder = trusted_certificates() if use_folder else TrustedCertificates((), ())
    certificates = list(folder.certificates)
    for source in extra:
        certificates.extend(load_certificates(source))
    unique = {cert.sha256: cert for cert in certificates}
    return TrustedCertificates(tuple(unique.values()), folder.problems)


# --- a self-signed certificate for tests and trials ------------------------------------------


def make_test_certificate(
    name: str,
    path: str | os.PathLike[str],
    password: str,
    *,
    days: int = 365,
    valid_from: dt.datetime | None = None,
) -> Path:
    """Write a PKCS#12 file holding a new RSA-2048 key and a self-signed certificate for *name*
    (marked as a test certificate in its organisation), usable for signing but trusted by no
    one until its certificate is added to the trusted folder."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, clean(name)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Chứng thư thử nghiệm DanhGia"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    start = valid_from or (_now() - dt.timedelta(minutes=5))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(signing_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        clean(name).encode("utf-8"),
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(password.encode("utf-8"))
        if password
        else serialization.NoEncryption(),
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def signing_key_usage() -> x509.KeyUsage:
    """Digital signature and non-repudiation: what a document signing certificate carries."""
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
