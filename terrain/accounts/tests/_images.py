"""Pictures with the metadata a phone writes, for upload tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from terrain.tests.factories import make_image_file


def phone_exif() -> bytes:
    """An EXIF block with a camera make and the GPS position of a Lyon street."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 45.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 50.0, 10.0)
    return exif.tobytes()


def phone_photo(name: str = "IMG_2024.jpg", size=(1000, 800)) -> SimpleUploadedFile:
    return make_image_file(name, size=size, exif=phone_exif())


def text_file_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"This is not a picture at all.\n" * 20, content_type="image/jpeg")
