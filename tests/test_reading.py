"""Reading inputs: UTF-8 with or without BOM; clear errors for what cannot be classified.

Formats, other encodings and limits are tested in test_reading_formats.py.
"""

from __future__ import annotations

import io

import pytest

from rolecls.errors import InputError
from rolecls.reading import read_document


def test_utf8_with_bom_is_read_without_the_mark(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffOwn the roadmap — café".encode())
    assert read_document(path).text == "Own the roadmap — café"


def test_stdin_is_read(tmp_path):
    assert read_document("-", stdin=io.BytesIO(b"Track milestones")).text == "Track milestones"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n \t", "empty"),
        (b"12 34", "no words"),
        (b"\x00\x01\x02\x03 binary", "binary"),
        (b"caf\x81 au lait", "not valid UTF-8"),  # 0x81 is neither UTF-8 nor Windows-1252
    ],
)
def test_unusable_input_is_refused(tmp_path, data, message):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_directory_and_missing_file_are_refused(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
