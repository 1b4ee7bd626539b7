"""Embedded font programs → no clock in them: each 'head' table's modified date set to its created date.

Without HarfBuzz's subsetter (the system package libharfbuzz-subset0), WeasyPrint subsets fonts
with fontTools, which stamps head.modified with the clock: two builds of the same input then
differ. The date is set, in place, to the font's own creation date (which no subsetter changes),
and the table's checksum and the font's checkSumAdjustment are made right again.
"""

from __future__ import annotations

import struct

import pydyf

from pressroom.layout.weasy import resolve

_SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"true", b"OTTO")
_CREATED, _MODIFIED, _ADJUSTMENT = 20, 28, 8  # offsets inside 'head'
_MAGIC = 0xB1B0AFBA


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}L", padded)) & 0xFFFFFFFF


def without_clock(program: bytes) -> bytes:
    """The font program with head.modified = head.created (unchanged when it is not an sfnt
    with a 'head' table, or already says so)."""
    if len(program) < 12 or program[:4] not in _SFNT_VERSIONS:
        return program
    (tables,) = struct.unpack(">H", program[4:6])
    for index in range(tables):
        record = 12 + 16 * index
        if record + 16 > len(program):
            return program
        tag, _, offset, length = struct.unpack(">4sLLL", program[record:record + 16])
        if tag != b"head":
            continue
        if length < _MODIFIED + 8 or offset + length > len(program):
            return program
        head = bytearray(program[offset:offset + length])
        if head[_MODIFIED:_MODIFIED + 8] == head[_CREATED:_CREATED + 8]:
            return program
        head[_MODIFIED:_MODIFIED + 8] = head[_CREATED:_CREATED + 8]
        head[_ADJUSTMENT:_ADJUSTMENT + 4] = b"\0\0\0\0"
        font = bytearray(program)
        font[offset:offset + length] = head
        struct.pack_into(">L", font, record + 4, _checksum(bytes(head)))
        struct.pack_into(">L", font, offset + _ADJUSTMENT, (_MAGIC - _checksum(bytes(font))) & 0xFFFFFFFF)
        return bytes(font)
    return program


def remove_clock(pdf: pydyf.PDF) -> None:
    """Every embedded TrueType or OpenType program of ``pdf`` without a clock in its 'head'."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/FontDescriptor":
            continue
        for key in ("FontFile2", "FontFile3"):
            if key not in obj:
                continue
            stream = resolve(pdf, obj[key])
            data = b"".join(stream.stream)
            fixed = without_clock(data)
            if fixed is not data:
                stream.stream = [fixed]
