"""Name and place pools for the demo data: Kinh, Thái and H'Mông names of
the Northwest, as a commune in Điện Biên would have. All combinations are fictional."""

from __future__ import annotations

KINH_FAMILY = [
    ("Nguyễn", 38), ("Trần", 12), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4),
    ("Vũ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1), ("Hồ", 1), ("Ngô", 1), ("Dương", 1),
    ("Lý", 1), ("Đinh", 1), ("Trương", 1), ("Trịnh", 1), ("Mai", 1), ("Hà", 1), ("Đào", 1),
]  # fmt: skip
KINH_MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh", "Ngọc", "Tiến"]
KINH_MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Kim", "Phương", "Thúy"]
KINH_GIVEN_MALE = [
    "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Thắng", "Quân", "Sơn", "Cường", "Tùng",
    "Hiếu", "Trung", "Phong", "Bình", "Thành", "Toàn", "Vinh", "Khánh", "Đạt", "Dung", "Đức",
]  # fmt: skip
KINH_GIVEN_FEMALE = [
    "Lan", "Hương", "Hoa", "Mai", "Hằng", "Nga", "Thảo", "Trang", "Linh", "Huyền", "Phương",
    "Yến", "Hà", "Thủy", "Oanh", "Nhung", "Hạnh", "Loan", "Dung", "Ngân",
]  # fmt: skip

THAI_FAMILY = [
    ("Lò", 6), ("Lường", 5), ("Quàng", 4), ("Cà", 4), ("Tòng", 3), ("Vì", 3), ("Lù", 2),
    ("Điêu", 2), ("Lèo", 2), ("Hoàng", 1), ("Lê", 1),
]  # fmt: skip
THAI_GIVEN_MALE = [
    "Pọm", "Hặc", "Xôm", "Chiến", "Ính", "Thoan", "Bun", "Khoa", "Piếng", "Sương", "Ún",
    "Hom", "Panh", "Biên", "Thanh", "Tiến", "Dũng", "Hùng", "Lả", "Pâng", "Kim", "Xuân",
]  # fmt: skip
THAI_GIVEN_FEMALE = [
    "Ín", "Xuân", "Hương", "Ỏm", "Xoan", "Lả", "Pọm", "Ngoan", "Hiên", "Duyên", "Ánh", "Thoa",
    "Bua", "Lún", "Mai", "Phương",
]  # fmt: skip

HMONG_FAMILY = [
    ("Giàng", 6), ("Sùng", 5), ("Vàng", 5), ("Thào", 4), ("Mùa", 3), ("Lầu", 3), ("Hạng", 2),
    ("Lý", 2), ("Chá", 1), ("Cứ", 1),
]  # fmt: skip
HMONG_GIVEN_MALE = [
    "Páo", "Dế", "Chứ", "Sình", "Lử", "Dình", "Chống", "Tủa", "Xá", "Pó", "Ly", "Súa", "Thề",
    "Nhìa", "Chua", "Vừ", "Tống", "Sử",
]  # fmt: skip
HMONG_GIVEN_FEMALE = ["Mỷ", "Chua", "Dợ", "Say", "Mai", "Pà", "Dua", "Xía", "Sua", "Chở", "Dinh"]

# Village names: Thái villages (Na, Pá, Phiêng…) and H'Mông villages (Huổi, Tà, Kê…).
THAI_VILLAGES = [
    "Na Tông 1", "Na Tông 2", "Pá Có", "Phiêng Ban", "Hua Ná", "Pá Khôm", "Na Hai", "Phai Cát",
    "Na Khoa", "Pá Vạt", "Nà Sự", "Xôm Lông", "Lọng Luông", "Nà Nghè", "Sái Lương", "Púng Mu",
    "Na Sang",
]  # fmt: skip
HMONG_VILLAGES = [
    "Huổi Lóng", "Nậm Ty", "Co Mỵ", "Kê Nênh", "Huổi Hẹ", "Ten Luống", "Hồng Lứu", "Co Đứa",
    "Tà Cơn", "Huổi Cắm",
]  # fmt: skip

COMMITTEE_OFFICE_CELL = "Chi bộ Cơ quan Đảng ủy"
AGENCY_CELLS = [
    (COMMITTEE_OFFICE_CELL, "agency"),
    ("Chi bộ Ủy ban nhân dân xã", "agency"),
    ("Chi bộ Cơ quan Mặt trận và các đoàn thể", "agency"),
    ("Chi bộ Quân sự xã", "armed"),
    ("Chi bộ Công an xã", "armed"),
    ("Chi bộ Trạm Y tế", "agency"),
    ("Chi bộ Trường Trung học cơ sở", "school"),
    ("Chi bộ Trường Tiểu học", "school"),
]

VILLAGE_OTHER_POSTS = [
    "Trưởng bản", "Chi hội trưởng Hội Nông dân", "Chi hội trưởng Hội Phụ nữ",
    "Bí thư Chi đoàn", "Chi hội trưởng Hội Cựu chiến binh", "Công an viên", "Y tế thôn bản",
]  # fmt: skip
AGENCY_OTHER_POSTS = {
    "Chi bộ Cơ quan Đảng ủy": ["Chánh Văn phòng Đảng ủy", "Chuyên viên Văn phòng Đảng ủy"],
    "Chi bộ Ủy ban nhân dân xã": [
        "Chủ tịch Ủy ban nhân dân xã", "Phó Chủ tịch Ủy ban nhân dân xã",
        "Công chức Văn phòng - Thống kê", "Công chức Tài chính - Kế toán",
        "Công chức Địa chính - Xây dựng", "Công chức Văn hóa - Xã hội",
    ],
    "Chi bộ Cơ quan Mặt trận và các đoàn thể": [
        "Chủ tịch Ủy ban Mặt trận Tổ quốc xã", "Chủ tịch Hội Nông dân xã",
        "Chủ tịch Hội Liên hiệp Phụ nữ xã", "Bí thư Đoàn xã", "Chủ tịch Hội Cựu chiến binh xã",
    ],
    "Chi bộ Quân sự xã": ["Chỉ huy trưởng Ban Chỉ huy Quân sự xã", "Chỉ huy phó", "Dân quân"],
    "Chi bộ Công an xã": ["Trưởng Công an xã", "Phó Trưởng Công an xã", "Cán bộ Công an xã"],
    "Chi bộ Trạm Y tế": ["Trạm trưởng Trạm Y tế", "Bác sĩ", "Y sĩ", "Điều dưỡng"],
    "Chi bộ Trường Trung học cơ sở": ["Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên"],
    "Chi bộ Trường Tiểu học": ["Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên"],
}  # fmt: skip

DISTRICT_COMMUNES = [
    "Thanh Xương", "Thanh An", "Thanh Chăn", "Thanh Hưng", "Thanh Luông", "Thanh Nưa",
    "Thanh Yên", "Noong Hẹt", "Noong Luống", "Pa Thơm", "Sam Mứn", "Núa Ngam", "Mường Nhà",
    "Mường Lói", "Mường Pồn", "Na Ư", "Nà Nhạn", "Nà Tấu", "Pá Khoang", "Mường Phăng",
    "Hua Thanh", "Na Tông", "Phu Luông", "Hẹ Muông",
]  # fmt: skip
DISTRICT_AGENCY_COMMITTEES = [
    "Đảng bộ Cơ quan Chính quyền huyện", "Đảng bộ Công an huyện", "Đảng bộ Quân sự huyện",
    "Đảng bộ Bệnh viện huyện",
]  # fmt: skip
DISTRICT_BASE_CELLS = [
    "Chi bộ Trường THPT Thanh Chăn", "Chi bộ Trường THPT Mường Nhà", "Chi bộ Trung tâm Y tế",
    "Chi bộ Phòng Giáo dục và Đào tạo", "Chi bộ Phòng Tài chính - Kế hoạch",
    "Chi bộ Phòng Nông nghiệp", "Chi bộ Phòng Tài nguyên và Môi trường",
    "Chi bộ Ban Quản lý dự án", "Chi bộ Trung tâm Văn hóa", "Chi bộ Kho bạc Nhà nước",
    "Chi bộ Chi cục Thuế", "Chi bộ Ngân hàng Chính sách xã hội", "Chi bộ Ngân hàng Nông nghiệp",
    "Chi bộ Bưu điện", "Chi bộ Điện lực", "Chi bộ Tòa án nhân dân", "Chi bộ Viện Kiểm sát",
    "Chi bộ Chi cục Thi hành án", "Chi bộ Hạt Kiểm lâm", "Chi bộ Trung tâm Giáo dục thường xuyên",
    "Chi bộ Văn phòng Huyện ủy", "Chi bộ Ban Tổ chức Huyện ủy", "Chi bộ Ủy ban Kiểm tra",
    "Chi bộ Ban Tuyên giáo", "Chi bộ Ban Dân vận", "Chi bộ Trung tâm Chính trị",
    "Chi bộ Mặt trận Tổ quốc huyện", "Chi bộ Huyện đoàn", "Chi bộ Hội Nông dân huyện",
    "Chi bộ Hội Phụ nữ huyện", "Chi bộ Hội Cựu chiến binh huyện", "Chi bộ Phòng Nội vụ",
    "Chi bộ Phòng Tư pháp", "Chi bộ Phòng Văn hóa", "Chi bộ Phòng Y tế",
    "Chi bộ Phòng Kinh tế - Hạ tầng", "Chi bộ Phòng Lao động", "Chi bộ Thanh tra huyện",
    "Chi bộ Trung tâm Dịch vụ nông nghiệp", "Chi bộ Công ty Cà phê", "Chi bộ Xí nghiệp Thủy nông",
]  # fmt: skip
