"""The end-to-end tests drive the same main window as the GUI tests."""

from tests.gui.conftest import (  # noqa: F401
    TODAY,
    _reserve_full,
    app_setup,
    qapp_cls,
    settings,
    window,
)
