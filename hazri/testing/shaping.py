"""For the PDF tests (report cards, the register in Persian): HarfBuzz, called directly
(cffi, the library WeasyPrint itself loads), to shape a text with a font file; and the
glyphs a PDF draws, read from its content streams. Hazri's PDFs keep the fonts' glyph
ids (WeasyPrint subsets with RETAIN_GIDS), so a shaped line in the PDF draws exactly the
glyphs HarfBuzz gives for it; an unshaped one would draw each character's own glyph (its
cmap entry) instead."""

import ctypes.util
import re
import zlib
from pathlib import Path

import cffi
from fontTools.ttLib import TTFont

_ffi = cffi.FFI()
_ffi.cdef(
    """
    typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
    typedef struct hb_font_t hb_font_t; typedef struct hb_buffer_t hb_buffer_t;
    typedef struct { uint32_t codepoint; uint32_t mask; uint32_t cluster;
                     uint32_t var1; uint32_t var2; } hb_glyph_info_t;
    hb_blob_t *hb_blob_create_from_file(const char *file_name);
    hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
    hb_font_t *hb_font_create(hb_face_t *face);
    hb_buffer_t *hb_buffer_create(void);
    void hb_buffer_add_utf8(hb_buffer_t *buffer, const char *text, int text_length,
                            unsigned int item_offset, int item_length);
    void hb_buffer_guess_segment_properties(hb_buffer_t *buffer);
    void hb_shape(hb_font_t *font, hb_buffer_t *buffer, const void *features,
                  unsigned int num_features);
    hb_glyph_info_t *hb_buffer_get_glyph_infos(hb_buffer_t *buffer, unsigned int *length);
    void hb_buffer_destroy(hb_buffer_t *buffer);
    """
)
_hb = _ffi.dlopen(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")

FONTS = Path("/usr/share/fonts/truetype/noto")


# Pango draws nothing for a default-ignorable character (the zero-width non-joiner of
# Persian's دانش‌آموز), where HarfBuzz gives it a zero-width glyph.
IGNORABLE = {"\u200c", "\u200d"}


def hb_shape(font_file: Path, text: str) -> list[int]:
    """The glyph ids HarfBuzz draws for the text with the font, in visual order (less
    those of zero-width non-joiners and joiners, as Pango leaves them out)."""
    face = _hb.hb_face_create(_hb.hb_blob_create_from_file(str(font_file).encode()), 0)
    font = _hb.hb_font_create(face)
    buffer = _hb.hb_buffer_create()
    data = text.encode()
    _hb.hb_buffer_add_utf8(buffer, data, len(data), 0, -1)
    _hb.hb_buffer_guess_segment_properties(buffer)
    _hb.hb_shape(font, buffer, _ffi.NULL, 0)
    length = _ffi.new("unsigned int *")
    infos = _hb.hb_buffer_get_glyph_infos(buffer, length)
    at = {len(text[:n].encode()): char for n, char in enumerate(text)}
    glyphs = [infos[i].codepoint for i in range(length[0]) if at[infos[i].cluster] not in IGNORABLE]
    _hb.hb_buffer_destroy(buffer)
    return glyphs


def cmap_glyphs(font_file: Path, text: str) -> list[int]:
    """Each character's own glyph: what an unshaped line would draw."""
    font = TTFont(str(font_file), lazy=True)
    best = font.getBestCmap()
    return [font.getGlyphID(best[ord(char)]) for char in text]


_SPAN = re.compile(rb"<</ActualText <feff([0-9a-f]+)>>>\s*BDC(.*?)EMC", re.S)


def drawn_spans(pdf: bytes) -> dict[str, list[int]]:
    """Each non-ASCII line the PDF draws (its /ActualText) and the glyph ids drawn."""
    spans: dict[str, list[int]] = {}
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        for text_hex, drawn in _SPAN.findall(content):
            text = bytes.fromhex(text_hex.decode()).decode("utf-16-be")
            glyphs = [int(g, 16) for g in re.findall(rb"<([0-9a-f]{4})>", drawn)]
            spans[text] = glyphs
    return spans
