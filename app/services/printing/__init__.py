"""Making the documents, as PDF (the signed record) or as Word copies: ``documents`` (one
document, every document of a cell, the numbering register; the format picks the renderer),
``word`` (the Word copy, in the province's template when the data folder has one),
``document_data`` (each document's figures gathered from the records) and ``view_memo`` (a
cell read once for all its documents)."""
