"""The party-document format (HD 36-HD/VPTW) as numbers both renderers read: the styles of
the body, tables, headings, signatures and notes, and the room left to sign in.

HD 36: body 14–15 pt upright; section headings bold; document type 15–16 bold; summary 14–15
bold. Tables use a smaller size so that a cell's roster fits the page width.
"""

from __future__ import annotations

from app.documents.model import TextStyle, mm

BODY = TextStyle("body", 14, indent=10 * mm)
BODY_PLAIN = TextStyle("body-plain", 14)
BODY_ITALIC = TextStyle("body-italic", 14, italic=True)
BODY_HANGING = TextStyle("body-hanging", 14, left_indent=6 * mm, indent=-6 * mm)
CELL = TextStyle("cell", 11, align="left", leading=13.5, after=0)
CELL_CENTER = TextStyle("cell-center", 11, align="center", leading=13.5, after=0)
CELL_RIGHT = TextStyle("cell-right", 11, align="right", leading=13.5, after=0)
CELL_HEAD = TextStyle("cell-head", 11, bold=True, align="center", leading=13.5, after=0)
SECTION = TextStyle("section", 14, bold=True, align="left", before=6, after=3)
SUBSECTION = TextStyle("subsection", 14, bold=True, italic=True, align="left", before=3, after=2)
TITLE = TextStyle("title", 15, bold=True, align="center", before=16, after=2, keep_with_next=True)
SUBTITLE = TextStyle("subtitle", 14, bold=True, align="center", after=2, keep_with_next=True)
NOTE = TextStyle("note", 13, italic=True, align="center", after=6)
SMALL_NOTE = TextStyle("small-note", 11, italic=True, align="left", leading=13, after=2)

# The heading blocks, the form code, the signature blocks and "Nơi nhận" (HD 36: "Nơi nhận:"
# 14 pt upright, underlined; the items 12 pt).
HEAD_LEFT = TextStyle("head-left", 14, align="center", leading=17, after=0)
HEAD_LEFT_BOLD = TextStyle("head-left-bold", 14, bold=True, align="center", leading=17, after=0)
HEAD_DATE = TextStyle("head-date", 14, italic=True, align="center", leading=17, after=0)
HEAD_PARTY_SIZE = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM", bold, ruled beneath
FORM_CODE = TextStyle("form-code", 12, bold=True, italic=True, align="right", leading=14, after=2)
SIGN = TextStyle("sign", 14, bold=True, align="center", leading=17, after=0)
SIGN_HINT = TextStyle("sign-hint", 12, italic=True, align="center", leading=15, after=0)
RECIPIENT_LABEL = TextStyle("recipient-label", 14, align="left", leading=17, after=1)
RECIPIENT = TextStyle("recipient", 12, align="left", leading=14.5, after=0)

TABLE_HEADING_ROOM = 45 * mm  # a heading followed by a long table: the heading and a few rows
SIGNING_ROOM = 24 * mm  # the empty space between a signer's title and printed name
