"""Plain French sentences assembled from word lists, for the bulk dataset.

Each sentence is "opening + subject + detail": short, one idea, no acronym,
the way the product asks members to write.
"""

from __future__ import annotations

import random

from terrain.lib.html import sanitize_rich_text, text_to_html

OPENINGS = [
    "Rappel :", "Bonne nouvelle :", "À noter :", "Important :", "Pour info,", "Cette semaine,", "Demain,",
    "Jeudi prochain,", "Ce matin,", "Lundi,", "Comme prévu,", "Suite à la réunion,", "Après discussion,",
    "Merci à toutes et à tous :", "On compte sur vous :", "Petit point d’étape :", "Nouveau :", "Attention,",
]  # fmt: skip

SUBJECTS = [
    "l’assemblée générale", "la réunion d’équipe", "la permanence syndicale", "la tournée des services",
    "la pétition sur les salaires", "le tract sur les horaires", "la formation des nouveaux élus",
    "la rencontre avec la direction", "le rassemblement devant la mairie", "la collecte pour la caisse de grève",
    "l’enquête sur la charge de travail", "le point sur les congés d’été", "la négociation annuelle",
    "la visite du médecin du travail", "le comité de suivi", "la réunion des délégués", "le pot de départ de Josiane",
    "le covoiturage pour la manifestation", "la distribution à l’entrée du site", "le questionnaire sur le télétravail",
    "la soirée d’accueil des nouveaux adhérents", "l’atelier sur les fiches de paie", "la journée de mobilisation",
    "le compte rendu du conseil", "la banderole pour samedi", "la liste des candidats", "le dossier des primes",
]  # fmt: skip

DETAILS = [
    "aura lieu à 18 heures dans la salle du premier étage.", "est reportée à la semaine prochaine.",
    "a réuni plus de quarante collègues.", "se tiendra au local habituel.", "est ouverte à tout le monde.",
    "a besoin de volontaires.", "commence à 9 heures précises.", "a permis d’obtenir deux postes en plus.",
    "est disponible en pièce jointe au local.", "sera l’occasion de faire le point ensemble.",
    "n’a rien donné pour l’instant, on continue.", "a été un vrai succès.",
    "se fera en visio pour celles et ceux qui travaillent.",
    "demande encore un peu de préparation.", "a recueilli plus de trois cents signatures.",
    "se terminera par un moment convivial.", "reste ouverte jusqu’à vendredi soir.",
    "concerne toutes les équipes, de jour comme de nuit.", "a été validée à l’unanimité.",
    "doit encore être discutée avec les collègues.", "sera affichée sur le panneau syndical.",
    "avance bien, merci pour votre aide.", "nous permettra de peser dans la négociation.",
]  # fmt: skip

COMMENTS = [
    "Merci pour l’info !", "J’y serai.", "Je ne pourrai pas venir, désolée.", "Bravo à toute l’équipe.",
    "On peut en parler à la pause ?", "Je m’inscris pour le covoiturage.", "Très bonne initiative.",
    "Il faudrait prévenir l’équipe de nuit.", "Est-ce que c’est payé sur le temps de travail ?",
    "Je peux apporter des boissons.", "Super, merci.", "Je transmets aux collègues du deuxième.",
    "Quelle salle exactement ?", "Je suis disponible jeudi.", "On lâche rien.", "Merci pour le compte rendu.",
    "Je relaie dans mon service.", "Bien reçu.", "C’est noté, à demain.", "Je peux aider à distribuer.",
    "Bonne idée, il faut continuer.", "Quelqu’un a le document de l’an dernier ?", "Je viens avec deux collègues.",
]  # fmt: skip


JOBS = [
    "Aide-soignante", "Infirmier", "Caissière", "Agent d’entretien", "Technicienne", "Magasinier",
    "Secrétaire médicale", "Conducteur", "Enseignante", "Cuisinier", "Comptable", "Animatrice",
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    opening = rng.choice(OPENINGS)
    if opening.endswith(":"):
        subject = subject[0].upper() + subject[1:]
    return f"{opening} {subject} {rng.choice(DETAILS)}"


def post_bodies(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct-ish post bodies, stored exactly as ``post_create`` stores them."""
    bodies = []
    for _ in range(count):
        paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 2))) for _ in range(rng.choice((1, 1, 2)))]
        bodies.append(sanitize_rich_text("".join(f"<p>{p}</p>" for p in paragraphs)))
    return bodies


def comment_bodies(rng: random.Random, count: int) -> list[str]:
    """``count`` comment bodies, stored exactly as ``comment_create`` stores them."""
    bodies = []
    for _ in range(count):
        text = rng.choice(COMMENTS)
        if rng.random() < 0.3:
            text = f"{text} {sentence(rng)}"
        bodies.append(text_to_html(text))
    return bodies


def bio(rng: random.Random, workplace: str) -> str:
    job = rng.choice(JOBS)
    years = rng.randint(2, 30)
    return f"{job} depuis {years} ans ({workplace}). Syndiqué·e pour ne pas rester seul·e."
