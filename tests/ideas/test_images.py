import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageCms

from ideas.images import MAX_UPLOAD_BYTES, process_initiative_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "bild.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def decode(result) -> Image.Image:
    result.seek(0)
    image = Image.open(io.BytesIO(result.read()))
    image.load()
    return image


def refusal_code(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        process_initiative_image(upload(data, **kwargs))
    return caught.value.code


def split_photo(size=(300, 200)) -> Image.Image:
    """Left half red, right half blue, so a rotation shows in the pixels."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def phone_photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways: turn 90° clockwise to show
    exif[GPS_IFD] = {1: "N", 2: (56.0, 2.0, 0.0)}
    return encode(split_photo(), "JPEG", exif=exif, xmp=b"<x:xmpmeta>home-address</x:xmpmeta>")


def png_claiming(width: int, height: int) -> bytes:
    """A real, decodable one-colour PNG whose pixels would take far more memory than its bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte + zero bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


# Metadata and orientation


def test_gps_metadata_is_stripped():
    photo = phone_photo_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)  # the input does carry GPS

    image = decode(process_initiative_image(upload(photo)))

    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & image.info.keys()


def test_no_metadata_bytes_survive_in_the_file():
    result = process_initiative_image(upload(phone_photo_with_gps()))
    data = result.read()

    assert b"Exif" not in data
    assert b"EXIF" not in data
    assert b"XMP" not in data
    assert b"home-address" not in data


def test_exif_orientation_is_applied_before_the_tag_is_dropped():
    image = decode(process_initiative_image(upload(phone_photo_with_gps())))

    assert image.size == (200, 300)
    # Turned clockwise, the left (red) half ends up on top and the blue half below.
    top = image.getpixel((100, 60))
    bottom = image.getpixel((100, 240))
    assert top[0] > 200
    assert top[2] < 60
    assert bottom[2] > 200
    assert bottom[0] < 60


def test_colour_profile_is_dropped_after_use():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = encode(split_photo(), "JPEG", icc_profile=srgb)
    assert Image.open(io.BytesIO(photo)).info.get("icc_profile")

    image = decode(process_initiative_image(upload(photo)))

    assert "icc_profile" not in image.info
    assert image.getpixel((10, 10))[0] > 200


def test_photo_with_a_broken_colour_profile_is_still_accepted_without_it():
    photo = encode(split_photo(), "JPEG", icc_profile=b"not a real profile" * 20)

    image = decode(process_initiative_image(upload(photo)))

    assert "icc_profile" not in image.info
    assert image.size == (300, 200)


def test_cmyk_jpeg_becomes_rgb():
    photo = encode(Image.new("CMYK", (80, 80), (0, 255, 255, 0)), "JPEG")

    image = decode(process_initiative_image(upload(photo)))

    assert image.mode == "RGB"
    assert image.getpixel((40, 40))[0] > 200
    assert image.getpixel((40, 40))[1] < 60


# Output


def test_output_is_a_webp_with_a_random_name_not_the_uploaded_one():
    first = process_initiative_image(upload(encode(split_photo(), "JPEG"), name="min-adress.jpg"))
    second = process_initiative_image(upload(encode(split_photo(), "JPEG"), name="min-adress.jpg"))

    assert re.fullmatch(r"[0-9a-f-]{36}\.webp", first.name)
    assert first.name != second.name
    assert decode(first).format == "WEBP"


def test_large_photo_is_scaled_to_fit_1600_by_1600_keeping_its_shape():
    photo = encode(Image.new("RGB", (4000, 3000), (10, 120, 40)), "JPEG")

    assert decode(process_initiative_image(upload(photo))).size == (1600, 1200)


def test_tall_photo_is_scaled_by_its_height():
    photo = encode(Image.new("RGB", (1000, 4000), (10, 120, 40)), "PNG")

    assert decode(process_initiative_image(upload(photo, name="x.png"))).size == (400, 1600)


def test_small_image_is_not_upscaled():
    photo = encode(Image.new("RGB", (120, 80), (10, 120, 40)), "PNG")

    assert decode(process_initiative_image(upload(photo, name="x.png"))).size == (120, 80)


def test_transparent_png_becomes_rgb_on_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (50, 0, 100, 100))

    result = decode(process_initiative_image(upload(encode(image, "PNG"), name="x.png")))

    assert result.mode == "RGB"
    assert min(result.getpixel((10, 50))) > 240  # was fully transparent: white, not black
    assert result.getpixel((90, 50))[2] > 200


def test_palette_png_with_transparency_becomes_rgb_on_white():
    image = Image.new("P", (60, 60), 0)
    image.putpalette([0, 0, 0, 0, 255, 0])
    image.paste(1, (30, 0, 60, 60))
    data = encode(image, "PNG", transparency=0)

    result = decode(process_initiative_image(upload(data, name="x.png")))

    assert result.mode == "RGB"
    assert min(result.getpixel((5, 30))) > 240
    assert result.getpixel((50, 30))[1] > 200


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")])
def test_jpeg_png_and_webp_are_accepted(fmt, name):
    result = process_initiative_image(upload(encode(split_photo(), fmt), name=name))

    assert decode(result).size == (300, 200)


def test_type_is_judged_from_content_not_from_name_or_content_type():
    png = encode(split_photo(), "PNG")

    result = process_initiative_image(upload(png, name="dokument.pdf", content_type="text/plain"))

    assert decode(result).size == (300, 200)


# Refusals


def test_file_over_10_mb_is_refused_before_decoding():
    twelve_mb = b"\xff\xd8\xff" + bytes(12 * 1024 * 1024)

    assert refusal_code(twelve_mb) == "too_large"


def test_file_one_byte_over_the_limit_is_refused_even_without_a_declared_size():
    class Stream(io.BytesIO):
        size = None

    stream = Stream(b"\xff\xd8\xff" + bytes(MAX_UPLOAD_BYTES - 2))

    with pytest.raises(ValidationError) as caught:
        process_initiative_image(stream)

    assert caught.value.code == "too_large"


def test_gif_is_refused_even_when_named_jpg():
    gif = encode(split_photo(), "GIF")

    assert refusal_code(gif, name="bild.jpg", content_type="image/jpeg") == "wrong_type"


@pytest.mark.parametrize(("fmt", "options"), [("BMP", {}), ("TIFF", {}), ("ICO", {})])
def test_other_image_formats_are_refused(fmt, options):
    assert refusal_code(encode(split_photo(), fmt, **options)) == "wrong_type"


def test_text_file_renamed_jpg_is_refused():
    assert refusal_code(b"Det h\xc3\xa4r \xc3\xa4r ingen bild.\n" * 50) == "wrong_type"


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    assert refusal_code(svg, name="bild.svg", content_type="image/svg+xml") == "wrong_type"


def test_truncated_jpeg_is_refused_as_corrupt():
    noise = Image.effect_noise((400, 400), 80).convert("RGB")
    jpeg = encode(noise, "JPEG", quality=95)

    assert refusal_code(jpeg[: len(jpeg) // 2]) == "corrupt"


def test_png_with_damaged_checksum_is_refused_as_corrupt():
    png = bytearray(encode(split_photo(), "PNG"))
    idat = png.index(b"IDAT")
    png[idat + 10] ^= 0xFF

    assert refusal_code(bytes(png), name="x.png") == "corrupt"


def test_png_with_damaged_chunk_after_the_pixels_is_refused_as_corrupt():
    # Decoding alone stops after the pixel data; only the verify pass reads on and sees this.
    png = encode(split_photo(), "PNG")
    end = png.index(b"IEND") - 4
    text = b"tEXt" + b"note\x00hej"
    bad_crc = struct.pack(">I", zlib.crc32(text) ^ 1)
    damaged = png[:end] + struct.pack(">I", len(text) - 4) + text + bad_crc + png[end:]

    assert refusal_code(damaged, name="x.png") == "corrupt"


def test_png_bomb_is_refused():
    bomb = png_claiming(20_000, 20_000)
    assert len(bomb) < 1024 * 1024  # tiny on disk, 400 megapixels in memory

    assert refusal_code(bomb, name="x.png") == "too_many_pixels"


def test_image_just_over_40_megapixels_is_refused():
    # 48 megapixels: under Pillow's own bomb threshold, so only our limit catches it.
    assert refusal_code(png_claiming(8000, 6000), name="x.png") == "too_many_pixels"


def test_refusal_messages_are_plain_english_before_translation():
    expected = {
        b"\xff\xd8\xff" + bytes(11 * 1024 * 1024): "The image is larger than 10 MB.",
        b"hello": "Use a JPEG, PNG or WebP image.",
        png_claiming(8000, 6000): (
            "The image has too many pixels. Use one of at most 40 megapixels."
        ),
    }
    with translation.override("en"):
        for data, message in expected.items():
            with pytest.raises(ValidationError) as caught:
                process_initiative_image(upload(data))
            assert caught.value.messages == [message]


def test_a_truncated_jpeg_is_refused_even_after_a_pdf_was_drawn():
    """WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported; an
    upload after a committee document was drawn must still be refused."""
    from PIL import ImageFile

    from config.underlag import pdf_bytes

    assert pdf_bytes("<p>Underlag</p>").startswith(b"%PDF")
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as any other library might leave it
    noise = Image.effect_noise((400, 400), 80).convert("RGB")
    jpeg = encode(noise, "JPEG", quality=95)

    assert refusal_code(jpeg[: len(jpeg) // 2]) == "corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
