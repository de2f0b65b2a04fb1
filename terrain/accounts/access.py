"""Who may see whom. Every view showing a person goes through here.

Belonging to a cooperative is sensitive (union membership): a profile exists,
for a viewer, only when they share a cooperative with the person. Anyone else
gets a 404, never a 403, so that not even the account's existence is disclosed.
"""

from __future__ import annotations

from django.http import Http404

from terrain.accounts.models import Invitation, User, Visibility
from terrain.accounts.selectors import invitations_waiting_for, user_by_code, users_share_a_cooperative
from terrain.lib.codes import looks_like_code


def field_visible_to(*, viewer, person: User, visibility: str, shared: bool | None = None) -> bool:
    """Whether ``viewer`` may see a field of ``person``'s profile set to ``visibility``.

    - the person always sees their own fields;
    - ``platform``: anyone signed in;
    - ``cooperatives``: people who share at least one cooperative with them;
    - ``nobody``: only the person.

    ``shared`` may pass an already known answer to "do they share a
    cooperative?" to save a query; when ``None`` it is looked up if needed.
    """
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == person.pk:
        return True
    if visibility == Visibility.PLATFORM:
        return True
    if visibility == Visibility.COOPERATIVES:
        return shared if shared is not None else users_share_a_cooperative(viewer, person)
    return False


def get_profile_for(request, code: str) -> User:
    """The person named by ``code`` if the viewer may see their profile, else Http404."""
    viewer = request.user
    if not viewer.is_authenticated:
        raise Http404
    person = user_by_code(code)
    if person is None:
        raise Http404
    if person.pk != viewer.pk and not users_share_a_cooperative(viewer, person):
        raise Http404
    return person


def get_photo_for(request, code: str) -> User:
    """The person named by ``code`` if they have a photo the viewer may see, else Http404."""
    person = user_by_code(code)
    if person is None or not person.photo:
        raise Http404
    if not field_visible_to(viewer=request.user, person=person, visibility=person.photo_visibility):
        raise Http404
    return person


def require_platform_admin(request) -> None:
    """Platform administration pages exist only for platform administrators (404 for anyone else)."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404


def get_invitation_for(request, code: str) -> Invitation:
    """A usable invitation named by ``code`` and sent to the viewer's own address, else Http404."""
    user = request.user
    if not user.is_authenticated or not looks_like_code(code):
        raise Http404
    invitation = invitations_waiting_for(user).filter(code=code).first()
    if invitation is None:
        raise Http404
    return invitation
