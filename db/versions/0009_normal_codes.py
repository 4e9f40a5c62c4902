"""member and organisation codes kept in one form: trimmed, in capitals

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 11:00:00

Codes are compared as stored from now on, so the stored ones are brought to the form every
input path gives them (app.domain.text.normal_code): " dv00419" becomes "DV00419". Codes are
plain ASCII letters, digits and . _ / -, so SQLite's upper() is exact for them. Two rows whose
codes differ only in case or spaces would collide; they are left as they are (a merge is the
user's decision, not a migration's) and the roster check names them.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("members", "organizations"):
        op.execute(
            f"UPDATE {table} SET code = upper(trim(code)) "
            f"WHERE code != upper(trim(code)) AND NOT EXISTS ("
            f"SELECT 1 FROM {table} AS other WHERE other.id != {table}.id "
            f"AND upper(trim(other.code)) = upper(trim({table}.code)))"
        )


def downgrade() -> None:
    pass  # the codes' old case is not kept; the normalised ones work in the old schema
