"""The organisation tree and the members: ``organizations`` and ``members`` (reading and editing),
``quick_read`` (what the window paints first, in plain SQL), ``workbook`` (the members
workbook in and out, with ``tree_checks`` and ``bulk_insert``) and ``own_record`` (the
operator who is also a member)."""
