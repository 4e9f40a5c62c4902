"""Certificates, a real document to sign, and a SoftHSM2 token for the signing tests.

Everything is made once per test session (RSA keys and a token are slow to make) in a
temporary folder; tests only read these files. Test data folders stay per test.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.documents.meeting_minutes import render_meeting_minutes
from app.services.signing.certificates import signing_key_usage
from app.services.signing.sign import Pkcs11Token, Pkcs12File, make_test_certificate
from tests.documents import samples

PASSWORD = "mật-khẩu 123"
TOKEN_LABEL = "DanhGia thu nghiem"
TOKEN_PIN = "123456"
TOKEN_SO_PIN = "87654321"
KEY_LABEL = "Lo Van Pom"
# Addresses a verifier that fetched anything would try: nothing may listen on them.
OCSP_URL = "http://127.0.0.1:9/ocsp"
CRL_URL = "http://127.0.0.1:9/ca.crl"
CA_ISSUERS_URL = "http://127.0.0.1:9/ca.cer"


@functools.cache
def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="danhgia-signing-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.cache
def minutes_pdf() -> bytes:
    """The meeting minutes the document tests use, rendered by the app."""
    return render_meeting_minutes(samples.meeting_minutes())


@dataclass(frozen=True)
class MadeSigner:
    source: Pkcs12File
    pem: bytes
    name: str


def _pem_of(path: Path, password: str) -> bytes:
    _key, cert, _others = pkcs12.load_key_and_certificates(
        path.read_bytes(), password.encode("utf-8")
    )
    assert cert is not None
    return cert.public_bytes(serialization.Encoding.PEM)


@functools.cache
def signer(name: str) -> MadeSigner:
    """A self-signed certificate for *name*, made with the app's own helper."""
    path = make_test_certificate(name, workdir() / f"{len(os.listdir(workdir()))}.p12", PASSWORD)
    return MadeSigner(Pkcs12File(path, PASSWORD), _pem_of(path, PASSWORD), name)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class MadeAuthority:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@functools.cache
def authority() -> MadeAuthority:
    """A root CA like a Vietnamese CA's, whose leaves point at OCSP, CRL and CA-issuer URLs."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm DanhGia"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(days=1))
        .not_valid_after(_now() + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return MadeAuthority(key, certificate)


@functools.cache
def issued_signer(name: str) -> MadeSigner:
    """A certificate for *name* issued by :func:`authority`, carrying revocation URLs."""
    ca = authority()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(hours=1))
        .not_valid_after(_now() + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(signing_key_usage(), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(OCSP_URL),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(CA_ISSUERS_URL),
                    ),
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(CRL_URL)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    path = workdir() / f"issued-{len(os.listdir(workdir()))}.p12"
    # The PKCS#12 holds only the leaf: the CA must come from the trusted folder, not the file.
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name.encode("utf-8"),
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(PASSWORD.encode("utf-8")),
        )
    )
    return MadeSigner(
        Pkcs12File(path, PASSWORD), certificate.public_bytes(serialization.Encoding.PEM), name
    )


def flip_byte(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def all_fonts(pdf: bytes) -> set[tuple[str, bool]]:
    """Every font reachable from the pages: page resources, form XObjects inside them and the
    appearance streams of annotations (the signature stamps)."""
    reader = PdfReader(io.BytesIO(pdf))
    found: set[tuple[str, bool]] = set()
    seen: set[int] = set()

    def visit(resources: object) -> None:
        if not isinstance(resources, DictionaryObject):
            return
        for font in resources.get("/Font", DictionaryObject()).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor and descriptor.get_object().get("/FontFile2"))
            found.add((str(font["/BaseFont"]), embedded))
        for xobject in resources.get("/XObject", DictionaryObject()).values():
            stream = xobject.get_object()
            if id(stream) in seen or stream.get("/Subtype") != "/Form":
                continue
            seen.add(id(stream))
            visit(stream.get("/Resources", DictionaryObject()).get_object())

    for page in reader.pages:
        visit(page.get("/Resources", DictionaryObject()).get_object())
        for annotation in page.get("/Annots", []) or []:
            appearance = annotation.get_object().get("/AP")
            if appearance is not None:
                normal = appearance.get_object()["/N"].get_object()
                visit(normal.get("/Resources", DictionaryObject()).get_object())
    return found


# --- SoftHSM2: a software token behind a real PKCS#11 module ---------------------------------

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/opt/homebrew/lib/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class SoftToken:
    module: str
    pem: bytes

    def source(self, **changes: object) -> Pkcs11Token:
        values: dict[str, object] = {
            "module_path": self.module,
            "pin": TOKEN_PIN,
            "token_label": TOKEN_LABEL,
        }
        values.update(changes)
        return Pkcs11Token(**values)  # type: ignore[arg-type]


def _softhsm_module() -> str:
    override = os.environ.get("SOFTHSM2_MODULE")
    for candidate in ((override,) if override else ()) + SOFTHSM_MODULES:
        if Path(candidate).is_file():
            return candidate
    pytest.fail(
        "SoftHSM2 is not installed, so the USB-token (PKCS#11) signing test cannot run: install "
        "it with `apt-get install softhsm2` (the CI script .ci/run does), or point "
        "SOFTHSM2_MODULE at libsofthsm2.so.",
        pytrace=False,
    )


@functools.cache
def soft_token() -> SoftToken:
    """One SoftHSM2 token, labelled TOKEN_LABEL, holding an RSA key and its self-signed
    certificate (same ID) for KEY_LABEL, plus a stray CA certificate as real tokens carry.

    SoftHSM reads its configuration when the module is first initialised in this process, so
    the token is created before anything loads the module, and SOFTHSM2_CONF stays set."""
    module = _softhsm_module()
    utility = shutil.which("softhsm2-util")
    if utility is None:
        pytest.fail("softhsm2-util is missing: install the softhsm2 package.", pytrace=False)
    root = workdir() / "softhsm"
    (root / "tokens").mkdir(parents=True)
    config = root / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
        [
            utility,
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--pin",
            TOKEN_PIN,
            "--so-pin",
            TOKEN_SO_PIN,
        ],
        check=True,
        capture_output=True,
    )
    made = signer("Lò Văn Pọm")
    key, certificate, _others = pkcs12.load_key_and_certificates(
        made.source.path.read_bytes(), PASSWORD.encode("utf-8")
    )
    assert key is not None and certificate is not None
    key_file = root / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            utility,
            "--import",
            str(key_file),
            "--token",
            TOKEN_LABEL,
            "--label",
            KEY_LABEL,
            "--id",
            "01",
            "--pin",
            TOKEN_PIN,
        ],
        check=True,
        capture_output=True,
    )
    key_file.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    library = pkcs11.lib(module)
    token = library.get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        for label, object_id, cert in (
            (KEY_LABEL, b"\x01", certificate),
            ("CA", b"\x02", authority().certificate),
        ):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: object_id,
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.ISSUER: cert.issuer.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )
    return SoftToken(module, made.pem)
