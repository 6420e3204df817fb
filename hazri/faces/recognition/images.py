"""Photos as bytes: their type told from their first bytes, before anything decodes
them, and their decoding bounded (a small file must not unpack to a huge image)."""

import cv2
import numpy as np

from hazri.faces.recognition.base import Image

# The types a phone's camera or a scanner gives: told by their signatures.
SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
}
# A 12 MP phone photo is 4,000 x 3,000; a 50 MP one 8,160 x 6,120.
MAX_PIXELS = 52_000_000


class BadImage(ValueError):
    """Not a photo this system reads; the message says why."""


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file announce, or None if not a photo type."""
    for media_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            if media_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return media_type
    return None


def dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from the file's header alone (no pixels decoded), or None."""
    from io import BytesIO

    from PIL import Image as PILImage

    try:
        with PILImage.open(BytesIO(data)) as probe:
            return probe.size
    except Exception:
        return None


def decode(data: bytes) -> Image:
    """The photo as a BGR array, turned upright as its EXIF orientation says.

    Refuses what is not JPEG, PNG or WebP, and images over MAX_PIXELS, before the
    pixels are decoded.
    """
    if sniff(data[:16]) is None:
        raise BadImage("not a JPEG, PNG or WebP photo")
    size = dimensions(data)
    if size is None:
        raise BadImage("the photo's header cannot be read")
    if size[0] * size[1] > MAX_PIXELS:
        raise BadImage(f"the photo is {size[0]} x {size[1]} pixels, over {MAX_PIXELS:,}")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise BadImage("the photo cannot be decoded (a broken or cut file)")
    return np.asarray(image, np.uint8)


def encode_jpeg(image: Image, quality: int = 85) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise BadImage("the image cannot be encoded")
    return bytes(buffer.tobytes())
