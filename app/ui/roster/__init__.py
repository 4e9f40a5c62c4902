"""The tree on the left and the "Đảng viên" tab: ``org_tree``, ``org_dialog``, ``member_panel``,
``member_table``, ``member_dialog``, ``member_actions`` and ``own_record``."""
