"""pydyf references (b"12 0 R") → the objects they name, for the finishing steps."""

from __future__ import annotations

import pydyf


def resolve(pdf: pydyf.PDF, value):
    """A pydyf object, following a reference (b"12 0 R") when it is one."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value
