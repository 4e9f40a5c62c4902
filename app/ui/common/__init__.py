"""Pieces every part of the window uses: ``ask`` (every question to the user), ``operations``
(a service call with its form, progress and refusal), ``tasks`` (the background worker),
``grid``, ``widgets``, ``charts``, ``marks`` and ``pdf_preview``."""
