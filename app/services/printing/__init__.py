"""Making the documents as PDF: ``documents`` (one document, every document of a cell, the
numbering register), ``document_data`` (each document's figures gathered from the records) and
``view_memo`` (a cell read once for all its documents)."""
