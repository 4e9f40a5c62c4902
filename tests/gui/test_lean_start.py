"""The window shows the tree and the member table before it loads anything heavy: SQLAlchemy,
the mapped models, Alembic and the documents are imported just after the first paint (they
took more than half of every start), and the first click then finds them loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "pyhanko", "cryptography", "argon2")

_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from app.settings import Settings
from app.ui.shell.application import make_application, open_database
from app.ui.shell.main_window import MainWindow
from app.ui.common.tasks import SyncRunner

HEAVY = {heavy!r}

def loaded():
    return sorted({{m.split(".")[0] for m in sys.modules}} & set(HEAVY))

app = make_application()
db = open_database(Path(sys.argv[1]))
window = MainWindow(db, Settings(Path(sys.argv[2])), SyncRunner())
window.show()
shown = {{"rows": window.members.model.rowCount(), "tree": window.tree.topLevelItemCount()}}
before_paint = loaded()
QTimer.singleShot(0, lambda: None)
for _ in range(50):
    app.processEvents()
print(json.dumps({{"before": before_paint, "after": loaded(), **shown}}))
db.close()
"""


def test_the_first_paint_needs_nothing_heavy(full_demo_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [
            sys.executable, "-c", _SCRIPT.format(heavy=HEAVY), str(full_demo_path),
            str(tmp_path / "settings.json"),
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["rows"] > 500 and seen["tree"] == 1  # the demo commune is on screen
    assert seen["before"] == [], f"imported before the first paint: {seen['before']}"
    # …and loaded once the window is up, ahead of the first click.
    assert "sqlalchemy" in seen["after"]
