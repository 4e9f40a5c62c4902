"""Quyết định công nhận kết quả, with its annex on a new page."""

from __future__ import annotations

from app.documents.data import CellDecision, DecidedMember, Signer
from app.documents.decision import render_decision
from tests.documents import samples


def test_the_decision_text() -> None:
    pdf = render_decision(samples.decision())
    first = samples.flat(pdf).split("PHỤ LỤC")[0]
    assert "ĐẢNG BỘ TỈNH ĐIỆN BIÊN" in first and "ĐẢNG ỦY XÃ NA TÔNG" in first
    assert "Số 15-QĐ/ĐU" in first and "Na Tông, ngày 20 tháng 01 năm 2026" in first
    assert "QUYẾT ĐỊNH" in first
    assert (
        "Về việc công nhận kết quả đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên "
        "năm 2025" in first
    )
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ NA TÔNG" in first
    assert "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;" in first
    assert "Căn cứ Quy định số 366-QĐ/TW" in first
    assert "QUYẾT ĐỊNH:" in first
    assert (
        "Điều 1. Công nhận kết quả đánh giá, xếp loại chất lượng năm 2025 đối với 3 tổ chức "
        "đảng và 30 đảng viên thuộc Đảng bộ xã Na Tông (có danh sách kèm theo)" in first
    )
    assert "Tổ chức đảng: Hoàn thành xuất sắc nhiệm vụ: 1 tổ chức (50%)" in first
    assert "không xếp loại: 1 tổ chức" in first
    assert "Đảng viên: Hoàn thành xuất sắc nhiệm vụ: 3 đồng chí (10%)" in first
    assert "Hoàn thành tốt nhiệm vụ: 21 đồng chí (70%)" in first
    assert "Điều 2. Quyết định có hiệu lực kể từ ngày ký." in first
    assert "Điều 3. Văn phòng Đảng ủy" in first
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ" in first and "Hoàng Văn Chiến" in first
    assert "Nơi nhận:" in first and "Ban Tổ chức Tỉnh ủy (để báo cáo)" in first
    assert "Ký, ghi rõ họ tên" not in first


def test_the_annex_starts_on_a_new_page() -> None:
    texts = samples.pages(render_decision(samples.decision()))
    annex = next(i for i, t in enumerate(texts) if "PHỤ LỤC" in t)
    assert annex >= 1
    assert "Điều 3" not in texts[annex]
    assert "Điều 3" in texts[annex - 1] or "Hoàng Văn Chiến" in texts[annex - 1]
    text = samples.flat(render_decision(samples.decision()))
    annex_text = text[text.index("PHỤ LỤC") :]
    assert "(Kèm theo Quyết định số 15-QĐ/ĐU, ngày 20/01/2026 của Ban Thường vụ" in annex_text
    # The title breaks its line after "công nhận"; no escape sequence is printed.
    title = "Danh sách tổ chức đảng, đảng viên được công nhận kết quả xếp loại chất lượng năm 2025"
    assert title in annex_text and "\\n" not in annex_text
    assert "I. TỔ CHỨC ĐẢNG" in annex_text and "II. ĐẢNG VIÊN" in annex_text
    assert "Chi bộ bản Huổi Hẹ HTXSNV Hoàn thành tốt nhiệm vụ Vượt tỷ lệ 20%" in annex_text
    assert "Chi bộ Quân sự xã Không xếp loại Thành lập chưa đủ 6 tháng" in annex_text
    assert "Chi bộ bản Huổi Hẹ (10 đồng chí)" in annex_text
    assert "13 Nguyễn Thị Ánh 1 Chi ủy viên HTXSNV Hoàn thành xuất sắc nhiệm vụ" in annex_text


def test_a_change_from_the_proposal_shows_its_reason() -> None:
    cells = (
        CellDecision(
            samples.CELL,
            (
                DecidedMember("Lò Văn Pọm", "HTTNV", "Bí thư chi bộ", "HTXSNV", "Vượt tỷ lệ 20%"),
                DecidedMember("Giàng A Páo", "HTTNV", proposed="HTTNV"),
            ),
        ),
    )
    text = samples.flat(render_decision(samples.decision(cells=cells, organisations=())))
    assert "Lý do thay đổi" in text
    assert "Lò Văn Pọm Bí thư chi bộ HTXSNV Hoàn thành tốt nhiệm vụ Vượt tỷ lệ 20%" in text
    assert "I. TỔ CHỨC ĐẢNG" not in text


def test_deputy_signing_for_the_secretary_and_a_blank_number() -> None:
    heading = samples.COMMUNE_HEADING
    data = samples.decision(
        heading=type(heading)(heading.superior, heading.issuer, "", "Na Tông", None),
        signer=Signer("PHÓ BÍ THƯ", "Lò Thị Xuân", "K/T BÍ THƯ", hint=""),
    )
    text = samples.flat(render_decision(data))
    assert "K/T BÍ THƯ PHÓ BÍ THƯ" in text and "Lò Thị Xuân" in text
    assert "-QĐ/ĐU" in text and "ngày …… tháng …… năm 20……" in text


def test_a_commune_of_40_cells_paginates_the_annex_with_its_header() -> None:
    names = samples.big_names(40 * 15)
    cells = tuple(
        CellDecision(
            f"Chi bộ bản số {c + 1}",
            tuple(DecidedMember(n, "HTTNV", proposed="HTTNV") for n in names[c * 15 : c * 15 + 15]),
        )
        for c in range(40)
    )
    texts = samples.pages(render_decision(samples.decision(cells=cells)))
    annex = next(i for i, t in enumerate(texts) if "PHỤ LỤC" in t)
    member_pages = [i for i, t in enumerate(texts) if i >= annex and "Chi bộ bản số" in t]
    assert len(member_pages) > 10
    for index in member_pages:
        assert "Xếp loại chất lượng" in texts[index], index


def test_article_1_names_organisations_collectives_and_members_with_one_and() -> None:
    organisations = samples.decision().organisations
    data = samples.decision(collectives=organisations[:2])
    first = samples.flat(render_decision(data)).split("PHỤ LỤC")[0]
    assert "đối với 3 tổ chức đảng, 2 tập thể chi ủy và 30 đảng viên thuộc" in first
