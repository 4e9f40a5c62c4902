"""Files that leave or enter the machine: ``backup`` (Sao lưu), ``restore`` (Khôi phục),
``exchange`` (the cell's package out and in) and ``password_dialogs``."""
