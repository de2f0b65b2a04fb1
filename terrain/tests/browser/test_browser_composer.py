"""The composer in a real browser: several images each with its description,
@mention suggestions, and the same form without JavaScript."""

from __future__ import annotations

import pytest

from terrain.news.models import Post
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _images(tmp_path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = tmp_path / f"photo{n}.jpg"
        path.write_bytes(make_image_file().read())
        paths.append(str(path))
    return paths


def test_two_images_with_descriptions_and_a_mention(world, live_server, phone, tmp_path):
    page = signed_in(phone, live_server, world.bob)
    page.goto(f"{live_server.url}/actualites/c/{world.open_coop.code}/publier/")
    page.get_by_label("Votre message").click()
    page.keyboard.type("Bonjour @ali")
    page.locator("[data-mention-box] button").first.click()
    page.keyboard.type("rendez-vous jeudi")

    first, second = _images(tmp_path, 2)
    page.get_by_text("Ajouter des images (facultatif, 10 au maximum)").click()
    page.set_input_files("[data-composer-files]", first)
    page.set_input_files("[data-composer-files]", second)  # a second choice adds, it does not replace
    page.get_by_label("Description de l'image 1 (photo0.jpg)").fill("Première photo")
    page.get_by_label("Description de l'image 2 (photo1.jpg)").fill("Deuxième photo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"**/cooperatives/{world.open_coop.code}/")

    post = Post.objects.get()
    assert f"@{world.alice.handle} rendez-vous jeudi" in post.body_html
    assert list(post.images.values_list("alt_text", flat=True)) == ["Première photo", "Deuxième photo"]


def test_without_javascript_one_image_and_its_description(world, live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = signed_in(context, live_server, world.bob)
    page.goto(f"{live_server.url}/actualites/c/{world.open_coop.code}/publier/")
    (image,) = _images(tmp_path, 1)

    page.get_by_label("Votre message").fill("Sans JavaScript\n\nDeuxième paragraphe")
    page.get_by_text("Ajouter des images (facultatif, 10 au maximum)").click()
    page.set_input_files("input[name=images]", image)
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("n'a pas de description").wait_for()
    assert page.get_by_label("Votre message").input_value().startswith("Sans JavaScript")

    page.set_input_files("input[name=images]", image)
    page.get_by_label("Description de l'image").fill("Une photo")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"**/cooperatives/{world.open_coop.code}/")
    context.close()

    post = Post.objects.get()
    assert post.body_html == "<p>Sans JavaScript</p><p>Deuxième paragraphe</p>"
    assert post.images.get().alt_text == "Une photo"


def test_the_author_changes_the_images_of_a_published_post(world, live_server, phone, tmp_path):
    from terrain.news.services import ImageUpload, post_create

    post = post_create(
        cooperative=world.open_coop,
        author=world.bob,
        body_html="<div>Rassemblement</div>",
        images=[ImageUpload(make_image_file(), "Une banderol"), ImageUpload(make_image_file(), "Floue")],
    )
    second = post.images.all()[1]
    page = signed_in(phone, live_server, world.bob)
    page.goto(f"{live_server.url}/actualites/{post.code}/modifier/")

    page.get_by_label("Description de l'image 1").fill("Une banderole rouge")
    page.get_by_label("Retirer cette image").nth(1).check()
    (new,) = _images(tmp_path, 1)
    page.get_by_text("Ajouter des images (encore 8 au plus)").click()
    page.set_input_files("[data-composer-files]", new)
    page.get_by_label("Description de la nouvelle image 1 (photo0.jpg)").fill("La foule")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/actualites/{post.code}/")

    assert list(post.images.values_list("alt_text", flat=True)) == ["Une banderole rouge", "La foule"]
    assert not post.images.filter(pk=second.pk).exists()
