"""The end-to-end tests drive the same main window as the GUI tests."""

from tests.gui.conftest import TODAY, app_setup, qapp_cls, settings, window  # noqa: F401
