"""Every access helper says what is needed the same way: ``need=`` and a word of ``Need``."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from terrain.cooperatives.access import get_cooperative_for
from terrain.lib.access import Grants, Need
from terrain.news.access import get_comment_for, get_post_for
from terrain.news.services import comment_create, post_create
from terrain.structures.access import get_structure_for


def _access_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("terrain."):
            try:
                yield importlib.import_module(f"{config.name}.access")
            except ModuleNotFoundError:
                continue


def test_every_helper_takes_need_and_nothing_else():
    helpers = {
        f"{module.__name__}.{name}": inspect.signature(function)
        for module in _access_modules()
        for name, function in vars(module).items()
        if name.startswith("get_") and name.endswith("_for") and inspect.isfunction(function)
    }
    assert "terrain.structures.access.get_structure_for" in helpers
    wrong = {
        name: list(signature.parameters)
        for name, signature in helpers.items()
        if set(signature.parameters) - {"request", "code", "need"}
    }
    assert wrong == {}
    for signature in helpers.values():
        if "need" in signature.parameters:
            assert Need(signature.parameters["need"].default)


def test_every_access_object_answers_its_needs():
    kinds = {
        obj
        for module in _access_modules()
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Grants) and obj is not Grants
    }
    assert {kind.__name__ for kind in kinds} >= {"CooperativeAccess", "StructureAccess", "PostAccess", "AtelierAccess"}
    for kind in kinds:
        assert kind.needs and all(isinstance(getattr(kind, f"can_{need}"), property) for need in kind.needs)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_the_same_words_refuse_and_allow(world):
    alice, bob = _request(world.alice), _request(world.bob)
    assert get_structure_for(alice, world.section.code, need=Need.MANAGE).can_manage
    assert get_structure_for(bob, world.section.code, need="see").can_see
    with pytest.raises(PermissionDenied):
        get_structure_for(bob, world.section.code, need="manage")

    post = post_create(cooperative=world.private_coop, author=world.alice, body_html="<div>Réunion</div>")
    comment = comment_create(post=post, author=world.bob, text="J'y serai")
    assert get_post_for(alice, post.code, need=Need.EDIT).can_edit
    assert get_post_for(bob, post.code).can_read
    for need in ("edit", "delete"):
        with pytest.raises(PermissionDenied):
            get_post_for(bob, post.code, need=need)
    assert get_comment_for(bob, comment.code, need="edit").can_edit
    assert get_comment_for(alice, comment.code, need="delete").can_delete  # she animates the cooperative
    with pytest.raises(PermissionDenied):
        get_comment_for(alice, comment.code, need="edit")


@pytest.mark.django_db
def test_a_word_outside_the_vocabulary_is_an_error_not_an_answer(world):
    alice = _request(world.alice)
    with pytest.raises(ValueError):
        get_cooperative_for(alice, world.private_coop.code, need="animte")
    with pytest.raises(ValueError):  # a real word, but not one a structure answers
        get_structure_for(alice, world.section.code, need="approve")
