"""Who may run a consultation: the officials of its structure and of those above it.

Everyone else gets a 404 (the consultation's existence, even a draft's, is not told);
someone who sees the structure without managing it (a member) gets a PermissionDenied.
The public answers go through :mod:`terrain.consultations.views_public`, by the site.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.consultations.models import Consultation, Question
from terrain.lib.access import Need
from terrain.lib.codes import looks_like_code
from terrain.structures.access import StructureAccess, structure_access


@dataclass(frozen=True)
class ConsultationAccess:
    consultation: Consultation
    structure_access: StructureAccess

    @property
    def structure(self):
        return self.consultation.structure


def get_consultation_for(request, code: str, *, need: Need | str = Need.MANAGE) -> ConsultationAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    consultation = Consultation.objects.select_related("structure", "structure__parent").filter(code=code).first()
    if consultation is None:
        raise Http404
    access = structure_access(user=request.user, structure=consultation.structure)
    if not access.can_see:
        raise Http404
    access.require(need)
    return ConsultationAccess(consultation=consultation, structure_access=access)


def question_of(access: ConsultationAccess, question_code: str) -> Question:
    """A question of the consultation the viewer already reached through :func:`get_consultation_for`."""
    if not looks_like_code(question_code):
        raise Http404
    question = access.consultation.questions.filter(code=question_code).first()
    if question is None:
        raise Http404
    return question
