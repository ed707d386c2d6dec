"""Photos as a source might send them (GPS position, camera serial number, XMP)
and the check that a stored picture gives none of it away: for the tests of
articles/images.py and of `strip_image_metadata`."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

# Somewhere a source's photo must never reveal: 51°30'N 0°07'W.
GPS_LATITUDE = (51.0, 30.0, 0.0)
XMP_WITH_GPS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


# What the test pictures carry that must not survive, as bytes in the file.
SECRETS = [b"PhoneCo", b"SN-1234567", b"51,30", b"51.5N"]


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.BodySerialNumber] = "SN-1234567"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 0.0),
    }
    return exif


def photo_with_gps(image_format="JPEG", size=(60, 40), orientation=1, **options):
    """A phone photo as a source might send it: GPS position, camera serial, XMP."""
    output = io.BytesIO()
    extra = {"xmp": XMP_WITH_GPS} if image_format in {"JPEG", "PNG", "WEBP"} else {}
    Image.new("RGB", size, (120, 80, 40)).save(
        output, image_format, exif=camera_exif(orientation), **extra, **options
    )
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return SimpleUploadedFile(f"scene.{extension}", output.getvalue())


def reveals_anything(stored_file):
    """Whether a stored image still says where, or with what, it was taken."""
    stored_file.open("rb")
    data = stored_file.read()
    stored_file.close()
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(
            exif
            or exif.get_ifd(ExifTags.IFD.GPSInfo)
            or image.info.get("xmp")
            or image.info.get("comment")
            or any(secret in data for secret in SECRETS)
        )
