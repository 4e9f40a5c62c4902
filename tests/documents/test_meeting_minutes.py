"""Biên bản hội nghị chi bộ kiểm điểm, đánh giá, xếp loại."""

from __future__ import annotations

from app.documents.data import Comment, MemberReview
from app.documents.meeting_minutes import render_meeting_minutes
from tests.documents import samples


def test_time_place_attendance_chair_and_secretary() -> None:
    text = samples.flat(render_meeting_minutes(samples.meeting_minutes()))
    assert "BIÊN BẢN" in text
    assert "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập thể, cá nhân năm 2025" in text
    assert "Hồi 08 giờ 00 phút, ngày 15 tháng 12 năm 2025, tại Nhà văn hóa bản Na Tông 1" in text
    assert "Tổng số đảng viên của chi bộ: 12 đồng chí (chính thức: 11; dự bị: 1)" in text
    assert "Có mặt: 10 đồng chí; vắng mặt: 1 đồng chí (có lý do: 1; không có lý do: 0)" in text
    assert "Đồng chí Cà Văn Xôm (có lý do: đi làm ăn xa)" in text
    assert "Đại biểu dự: đồng chí Lường Văn Chiến – Đảng ủy viên, phụ trách chi bộ" in text
    assert "Chủ trì hội nghị: đồng chí Lò Văn Pọm – Bí thư chi bộ" in text
    assert "Thư ký hội nghị: đồng chí Nguyễn Thị Ánh – Chi ủy viên" in text


def test_content_reviews_votes_remarks_and_conclusion() -> None:
    text = samples.flat(render_meeting_minutes(samples.meeting_minutes()))
    assert "Đồng chí Lò Văn Pọm thay mặt chi ủy trình bày báo cáo kiểm điểm tập thể" in text
    assert "hoàn thành 9/10 chỉ tiêu" in text
    assert "2.2. Đồng chí Giàng A Páo – Phó Bí thư chi bộ" in text
    assert "Đồng chí Quàng Văn Hặc: Đồng chí cần tích cực hơn nữa" in text
    assert "Tiếp thu ý kiến đóng góp của các đồng chí." in text
    assert "Hội nghị thống nhất hình thức bỏ phiếu kín" in text
    assert "Tổ kiểm phiếu gồm: đồng chí Quàng Văn Hặc (tổ trưởng)" in text
    assert "Tổng số đảng viên chính thức được biểu quyết: 9 đồng chí" in text
    assert "Nguyễn Thị Ánh Chi ủy viên 6 (66,67%) 3 (33,33%) 0 (0%) 0 (0%) HTXSNV" in text
    assert "b) Kết quả đánh giá, xếp loại chất lượng tập thể chi bộ" in text
    assert "4. Ý kiến của đại biểu cấp trên" in text and "ghi nhận kết quả" in text
    assert "5. Kết luận của đồng chí chủ trì hội nghị" in text


def test_closing_approval_and_signatures() -> None:
    text = samples.flat(render_meeting_minutes(samples.meeting_minutes()))
    assert "Hội nghị kết thúc hồi 11 giờ 30 phút cùng ngày" in text
    assert (
        "Biên bản đã được đọc lại và thông qua trước hội nghị; 10/10 đồng chí nhất trí (100%)"
        in text
    )
    tail = text[text.rindex("nhất trí") :]
    assert tail.index("THƯ KÝ") < tail.index("CHỦ TRÌ")
    assert "Nguyễn Thị Ánh" in tail and "Lò Văn Pọm" in tail


def test_unknown_approval_leaves_blanks_and_an_unexcused_absence_says_so() -> None:
    attendance = samples.meeting_minutes().attendance
    absent = (type(attendance.absent[0])("Thào A Chứ", "", excused=False),)
    data = samples.meeting_minutes(
        approval_agreed=None,
        approval_of=None,
        attendance=type(attendance)(12, 11, 1, 1, 10, absent),
        end=None,
    )
    text = samples.flat(render_meeting_minutes(data))
    assert "……/…… đồng chí nhất trí (……%)" in text
    assert "Đồng chí Thào A Chứ (không có lý do)" in text
    assert "kết thúc hồi …… giờ …… phút" in text
    assert "9/10 đồng chí nhất trí (90%)" in samples.flat(
        render_meeting_minutes(samples.meeting_minutes(approval_agreed=9, approval_of=10))
    )


def test_a_150_member_cell_with_long_comments_paginates() -> None:
    names = samples.big_names(150)
    reviews = tuple(
        MemberReview(name, comments=(Comment("Đồng chí Lò Văn Pọm", samples.LONG_COMMENT * 2),))
        for name in names
    )
    data = samples.meeting_minutes(reviews=reviews, members=samples.vote_rows(names), voters=140)
    pdf = render_meeting_minutes(data)
    texts = samples.pages(pdf)
    assert len(texts) > 20
    start = next(i for i, t in enumerate(texts) if "a) Kết quả đánh giá, xếp loại" in t)
    end = next(i for i, t in enumerate(texts) if "b) Kết quả đánh giá, xếp loại" in t)
    assert end > start + 2
    for index in range(start, end + 1):
        assert "Số phiếu theo từng mức" in texts[index], index
    text = samples.flat(pdf)
    assert "2.150. Đồng chí" in text
    assert "Công Tằng Tôn Nữ Nguyễn Hoàng Thị Ánh Phương Thảo 143" in text
