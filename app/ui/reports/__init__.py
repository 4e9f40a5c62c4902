"""What the commune reads and files: ``summary`` (Tổng hợp), ``committee_view`` (Bức tranh xếp
loại), ``documents`` (Văn bản, with ``sign_dialog``) and ``results_dialog`` (past years'
results imported)."""
