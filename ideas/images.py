"""Check and clean an image someone uploads for an initiative.

The file's type is judged from its content alone. What is stored is a new WebP drawn from the
pixels only, so camera metadata (GPS position, device, time) never reaches the public page.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
# Pillow reports a JPEG that carries extra pictures (common from phones) as "MPO".
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# Only these decoders ever see the bytes: fewer parsers, less attack surface.
_DECODERS = ["JPEG", "PNG", "WEBP"]
# WebP rather than JPEG: about a third smaller at the same look, and every browser we support
# shows it. Quality 82 is where photos stop showing visible artefacts.
WEBP_QUALITY = 82

_SRGB = ImageCms.createProfile("sRGB")


def _refuse(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _too_large() -> ValidationError:
    return _refuse(_("The image is larger than 10 MB."), "too_large")


def _wrong_type() -> ValidationError:
    return _refuse(_("Use a JPEG, PNG or WebP image."), "wrong_type")


def _corrupt() -> ValidationError:
    return _refuse(_("The file is not a readable image. It may be damaged."), "corrupt")


def _too_many_pixels() -> ValidationError:
    return _refuse(
        _("The image has too many pixels. Use one of at most 40 megapixels."), "too_many_pixels"
    )


def _read_at_most(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large()
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte past the limit, so a file whose size was not told is still caught.
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    return data


def _open(data: bytes) -> Image.Image:
    """Open lazily (header only) and refuse by type and pixel count before anything is decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=_DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Image.UnidentifiedImageError as error:
        raise _wrong_type() from error
    except Exception as error:
        raise _corrupt() from error
    if image.format not in ACCEPTED_FORMATS:
        raise _wrong_type()
    # Our limit sits below Pillow's own bomb threshold, so this check is the one that decides;
    # nothing here changes Pillow's global MAX_IMAGE_PIXELS, which other code may rely on.
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB, transparency laid on white; the colour profile is used, then dropped."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "CMYK"):
        try:
            return ImageCms.profileToProfile(image, io.BytesIO(icc), _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # A broken profile: keep the pixels as they are rather than refuse the photo.
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def process_initiative_image(upload) -> ContentFile:
    """Return the upload as a clean WebP of at most 1600×1600 px, or raise ValidationError.

    Codes: "too_large" (over 10 MB), "wrong_type" (not JPEG, PNG or WebP by content),
    "corrupt" (damaged or truncated), "too_many_pixels" (over 40 megapixels).
    """
    data = _read_at_most(upload, MAX_UPLOAD_BYTES)
    # A truncated upload is refused, never padded out: Pillow's process-wide switch for that
    # may have been turned on by a library (WeasyPrint turns it on when it is imported).
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    with _open(data) as image:
        try:
            image.verify()
        except Exception as error:
            raise _corrupt() from error

    # verify() leaves the image unusable, so open again to decode the pixels.
    with _open(data) as image:
        try:
            upright = ImageOps.exif_transpose(image)  # decodes every pixel
            pixels = _to_srgb(upright)
            pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        except Exception as error:
            raise _corrupt() from error

    # A fresh image carries no info dict at all: no EXIF, GPS, XMP, ICC or comments.
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4()}.webp")
