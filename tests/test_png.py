"""The plots' PNG writer: files that Pillow decodes to exactly the pixels given."""
from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from engine.analysis.png import png_bytes, write_png


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@settings(max_examples=60, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 9), st.integers(1, 9), st.just(4))), st.booleans())
def test_a_png_decodes_to_the_pixels_it_was_given(rgba, opaque):
    if opaque:
        rgba[..., 3] = 255
    assert np.array_equal(np.asarray(_decoded(png_bytes(rgba)).convert("RGBA")), rgba)


def test_an_opaque_image_is_written_as_rgb():
    rgba = np.full((3, 5, 4), 255, dtype=np.uint8)
    rgba[1, 2, :3] = (10, 20, 30)
    assert _decoded(png_bytes(rgba)).mode == "RGB"


def test_an_image_with_any_transparent_pixel_keeps_its_alpha():
    rgba = np.full((3, 5, 4), 255, dtype=np.uint8)
    rgba[2, 4, 3] = 254
    assert _decoded(png_bytes(rgba)).mode == "RGBA"


def test_the_dpi_and_text_are_in_the_files_metadata(tmp_path):
    path = write_png(tmp_path / "a.png", np.zeros((2, 2, 4), dtype=np.uint8), dpi=110, text={"Software": "xuefeng"})
    info = _decoded(path.read_bytes()).info
    assert info["Software"] == "xuefeng"
    assert info["dpi"] == pytest.approx((110, 110), abs=0.01)


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 3), np.uint8), np.zeros((2, 2, 4), np.float32), np.zeros((8,), np.uint8)])
def test_anything_but_height_by_width_by_four_bytes_is_refused(bad):
    with pytest.raises(ValueError, match="height x width x 4"):
        png_bytes(bad)
