from __future__ import annotations

import time

import pytest

from terrain.coach import ImageInfo, Limit, analyse
from terrain.coach.tests.helpers import codes, flags_of


def test_too_long_for_a_network():
    [flag] = flags_of("too_long", "Signez.", limits=[Limit("Bluesky", 320, 300), Limit("Mastodon", 320, 500)])
    assert "Bluesky" in flag.message
    assert "320" in flag.message
    assert "20" in flag.suggestion


def test_length_within_limits():
    assert "too_long" not in codes("Signez.", limits=[Limit("Bluesky", 300, 300)])


def test_no_image():
    [flag] = [f for f in analyse("Signez la pétition.") if f.code == "no_image"]
    assert flag.severity == "advice"
    assert "no_image" not in codes("Signez la pétition.")


@pytest.mark.parametrize("alt", ["", "   ", "IMG_2034.jpg", "image", "photo 1", "DSC_0001.JPG"])
def test_image_without_alt(alt):
    images = [ImageInfo("Une banderole devant l'usine"), ImageInfo(alt)]
    [flag] = flags_of("image_without_alt", "Signez.", images=images)
    assert "2" in flag.message
    assert "lecteur d'écran" in flag.message


def test_image_with_alt():
    assert "image_without_alt" not in codes("Signez.", images=[ImageInfo("Photo de la délégation à la préfecture")])


def test_too_many_hashtags():
    text = "Grève le 12 ! Venez. #grève #12mars #salaires #inflation"
    [flag] = flags_of("too_many_hashtags", text)
    assert flag.excerpt == "#grève #12mars #salaires #inflation"
    assert text[flag.start : flag.end] == "#inflation"


@pytest.mark.parametrize(
    "text",
    [
        "Grève le 12 ! Venez. #Grève12Mars #Salaires #Retraites",
        "Lisez https://exemple.org/#a #b #c et écrivez à contact@exemple.org#d",
        "Venez nombreux : c'est au n°12, bâtiment #3... et #4 #5",
    ],
)
def test_hashtags_within_the_limit(text):
    assert "too_many_hashtags" not in codes(text)


def test_link_beside_the_text_is_read():
    assert "several_ideas" in codes("Lisez le tract https://exemple.org/tract", link="https://exemple.org/autre")
    assert "several_ideas" not in codes("Lisez le tract https://exemple.org/tract", link="https://exemple.org/tract")


def test_flags_are_frozen_and_in_a_stable_order():
    text = "TOUS EN GRÈVE ! La NAO. Signez, votez. #a #b #c #d"
    first = analyse(text)
    assert first == analyse(text)
    assert [f.code for f in first] == [
        "acronym",
        "several_ideas",
        "no_image",
        "too_many_hashtags",
        "shouting",
    ]
    with pytest.raises(AttributeError):
        first[0].code = "other"


@pytest.mark.parametrize("text", ["a-" * 10_000, "A" * 20_000, "x.y+" * 5_000])
def test_no_pattern_takes_quadratic_time(text):
    # An e-mail pattern once tried every start of a long word: 25 seconds for 30,000 characters.
    started = time.perf_counter()
    analyse(text)
    assert time.perf_counter() - started < 5
