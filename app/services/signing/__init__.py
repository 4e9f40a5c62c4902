"""Digital signatures, offline: ``sign`` (signing a PDF with a certificate file or a USB token),
``certificates`` (reading and describing certificates), ``stamp`` (the visible stamp) and
``verify`` (checking a signed PDF, with a plain Vietnamese verdict)."""
