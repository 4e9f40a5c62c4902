"""`danhgia print`, `danhgia sign` and `danhgia verify`."""

from __future__ import annotations

import getpass
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from app.__main__ import main
from app.services.signing.sign import make_test_certificate
from tests.services.signing.support import _pem_of


def test_print_one_document_of_a_cell(
    full_demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bb.pdf"
    assert main(["print", "meeting-minutes", "--year", "2025", "--unit", "CB18", "-o", str(out),
                 "--db", str(full_demo_path)]) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert "Biên bản hội nghị chi bộ (Số " in said and "mã đối chiếu" in said
    text = PdfReader(out).pages[0].extract_text()
    assert "BIÊN BẢN" in text and "CHI BỘ BẢN HUỔI LÓNG" in text


def test_a_cell_document_needs_its_cell(
    full_demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["print", "ballot", "--year", "2025", "-o", str(tmp_path / "x.pdf"),
                 "--db", str(full_demo_path)]) == 2  # fmt: skip
    assert "Cần --unit" in capsys.readouterr().err


def test_print_all_for_one_cell(full_demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "van-ban"
    assert main(["print", "all", "--year", "2025", "--unit", "CB18", "-o", str(out),
                 "--db", str(full_demo_path)]) == 0  # fmt: skip
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    assert len(list(folder.glob("*.pdf"))) == 6


def test_sign_and_verify(
    full_demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    minutes = tmp_path / "bb.pdf"
    main(["print", "meeting-minutes", "--year", "2025", "--unit", "CB18", "-o", str(minutes),
          "--db", str(full_demo_path)])  # fmt: skip
    cert = tmp_path / "bi-thu.p12"
    make_test_certificate("Lò Văn Pọm", cert, "matkhau")
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": "matkhau")
    signed = tmp_path / "bb-da-ky.pdf"
    assert main(["sign", str(minutes), "--p12", str(cert), "-o", str(signed)]) == 0
    capsys.readouterr()
    # Not yet trusted: intact, but an unknown signer.
    assert main(["verify", str(signed)]) == 1
    assert "Lò Văn Pọm" in capsys.readouterr().out
    pem = tmp_path / "bi-thu.pem"
    pem.write_bytes(_pem_of(cert, "matkhau"))
    assert main(["verify", str(signed), "--trust", str(pem)]) == 0
    capsys.readouterr()
    data = bytearray(signed.read_bytes())
    data[len(data) // 3] ^= 0x01
    broken = tmp_path / "bb-sua.pdf"
    broken.write_bytes(bytes(data))
    assert main(["verify", str(broken), "--trust", str(pem)]) == 1
    assert "thay đổi" in capsys.readouterr().out


def test_signing_with_a_wrong_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cert = tmp_path / "c.p12"
    make_test_certificate("Lò Văn Pọm", cert, "dung")
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": "sai")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert main(["sign", str(pdf), "--p12", str(cert)]) == 2
    assert "mật khẩu" in capsys.readouterr().err.lower()


def _word_text(path: Path) -> str:
    from app.documents.render_docx import iter_text

    return "\n".join(iter_text(docx.Document(str(path))))


def test_print_one_document_as_word(
    full_demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["print", "meeting-minutes", "--year", "2025", "--unit", "CB18", "-o",
                 str(tmp_path), "--format", "docx", "--db", str(full_demo_path)]) == 0  # fmt: skip
    said = capsys.readouterr().out
    [written] = tmp_path.glob("*.docx")
    assert written.name == "bien-ban-hoi-nghi-chi-bo-ban-huoi-long.docx" and str(written) in said
    text = _word_text(written)
    assert "BIÊN BẢN" in text and "CHI BỘ BẢN HUỔI LÓNG" in text and "-BB/CB" in text
    # A file named .pdf never gets a Word copy.
    assert main(["print", "ballot", "--year", "2025", "--unit", "CB18", "-o",
                 str(tmp_path / "phieu.pdf"), "--format", "docx",
                 "--db", str(full_demo_path)]) == 2  # fmt: skip
    assert "--format pdf" in capsys.readouterr().err
    assert not (tmp_path / "phieu.pdf").exists()


def test_print_all_as_word(full_demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "van-ban"
    assert main(["print", "all", "--year", "2025", "--unit", "CB18", "-o", str(out),
                 "--format", "docx", "--db", str(full_demo_path)]) == 0  # fmt: skip
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 6 and all(name.endswith(".docx") for name in written)
    assert "CHI BỘ BẢN HUỔI LÓNG" in _word_text(folder / "danh-sach-de-nghi.docx")
    assert "PHIẾU ĐÁNH GIÁ" in _word_text(folder / "phieu-danh-gia.docx")


def test_print_with_a_bad_province_template(
    full_demo_path: Path, tmp_path: Path, own_data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    template = own_data_dir / "templates" / "ballot.docx"
    template.parent.mkdir(parents=True)
    template.write_text("không phải tệp Word")
    args = ["print", "ballot", "--year", "2025", "--unit", "CB18", "--db", str(full_demo_path)]
    assert main([*args, "-o", str(tmp_path / "phieu.docx"), "--format", "docx"]) == 2
    error = capsys.readouterr().err
    assert str(template) in error and "không phải tệp Word (.docx)" in error
    assert not (tmp_path / "phieu.docx").exists()
    assert main([*args, "-o", str(tmp_path / "phieu.pdf")]) == 0  # the PDF ignores templates


def test_a_word_copy_cannot_be_signed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or "x")
    word = tmp_path / "bb.docx"
    word.write_bytes(b"PK\x03\x04")
    assert main(["sign", str(word), "--p12", str(tmp_path / "c.p12")]) == 2
    error = capsys.readouterr().err
    assert "chỉ ký số bản PDF" in error and "--format pdf" in error
    renamed = tmp_path / "bb.pdf"  # a Word file renamed .pdf is refused all the same
    word.rename(renamed)
    assert main(["sign", str(renamed), "--p12", str(tmp_path / "c.p12")]) == 2
    assert "chỉ ký số bản PDF" in capsys.readouterr().err
    assert asked == []  # refused before any password is asked
