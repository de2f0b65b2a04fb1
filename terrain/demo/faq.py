"""The FAQ of the demonstration: the union départementale's questions, offered to every syndicat
and section below it; the hospital section's own questions; a question a member proposed."""

from __future__ import annotations

from terrain.faq.services import entry_offer, faq_entry_create, proposal_create, theme_create

# theme, question, answer (rich text, as the composer stores it)
UD_ENTRIES = [
    (
        "Adhésion et cotisations",
        "Combien coûte l’adhésion au syndicat ?",
        "<div>La cotisation représente <strong>1 % du salaire net</strong> mensuel. Elle ouvre droit à un "
        "<strong>crédit d’impôt de 66 %</strong> : une cotisation de 20 € par mois revient en réalité à moins "
        "de 7 €.</div>",
    ),
    (
        "Adhésion et cotisations",
        "Mon employeur saura-t-il que je suis syndiqué·e ?",
        "<div>Non. L’adhésion est confidentielle : le syndicat ne transmet jamais la liste de ses adhérents. "
        "Seuls les mandats (délégué·e syndical·e, élu·e) sont connus de l’employeur.</div>",
    ),
    (
        "Adhésion et cotisations",
        "Puis-je payer ma cotisation par prélèvement ?",
        "<div>Oui, c’est même le plus simple : demandez le mandat de prélèvement à votre trésorier ou "
        "trésorière de section. Vous pouvez l’arrêter à tout moment.</div>",
    ),
    (
        "Droit du travail",
        "Mon employeur peut-il changer mes horaires du jour au lendemain ?",
        "<div>Non. Sauf urgence prévue par la convention collective, un changement d’horaires doit vous être "
        "annoncé à l’avance (souvent <strong>7 jours</strong>, parfois 3 selon les accords). S’il touche "
        "un élément essentiel du contrat, votre accord écrit est nécessaire.</div>",
    ),
    (
        "Droit du travail",
        "Que faire en cas d’entretien préalable à une sanction ?",
        "<ul><li>Vous pouvez vous faire assister par un·e élu·e ou un·e délégué·e syndical·e.</li>"
        "<li>Prenez des notes, demandez ce qui vous est reproché.</li>"
        "<li>Contactez la section avant l’entretien : nous le préparons avec vous.</li></ul>",
    ),
    (
        "Élections CSE",
        "Qui peut se présenter aux élections du CSE ?",
        "<div>Tout salarié ou salariée de 18 ans au moins, avec un an d’ancienneté dans l’entreprise, "
        "sauf les proches parents de l’employeur. Au premier tour, seuls les syndicats présentent des listes.</div>",
    ),
    (
        "Élections CSE",
        "Combien d’heures de délégation pour un élu du CSE ?",
        "<div>Cela dépend de l’effectif : de <strong>10 heures par mois</strong> dans les petites entreprises "
        "à 24 heures et plus dans les grandes. Ces heures sont payées comme du temps de travail.</div>",
    ),
]

HOPITAL_ENTRIES = [
    (
        "Droit du travail",
        "Ai-je droit à une pause sur un poste de 12 heures ?",
        "<div>Oui : au moins <strong>20 minutes</strong> dès 6 heures de travail. À l’hôpital, la pause "
        "repas se prend sur le poste quand on ne peut pas le quitter ; elle est alors payée.</div>",
    ),
    (
        "Droit du travail",
        "Comment sont payées les heures de nuit à l’hôpital ?",
        "<div>Chaque heure entre 21 h et 6 h donne droit à une indemnité horaire de nuit, majorée le "
        "dimanche et les jours fériés. Vérifiez votre fiche de paie : la ligne s’appelle "
        "« indemnité travail de nuit ».</div>",
    ),
    (
        "Vie de la section",
        "Quand se réunit la section ?",
        "<div>Le premier jeudi du mois à 14 h, salle du personnel (bâtiment B). Les équipes de nuit "
        "peuvent suivre la réunion en visio : le lien est dans les actualités.</div>",
    ),
]


def load(world) -> None:
    ud = world.cooperatives["ud"]
    rachid = world.people["rachid"]
    themes: dict[str, object] = {}
    for theme_name, question, answer in UD_ENTRIES:
        if theme_name not in themes:
            themes[theme_name] = theme_create(cooperative=ud, name=theme_name, by=rachid)
        entry = faq_entry_create(
            cooperative=ud, theme=themes[theme_name], question=question, answer_html=answer, by=rachid
        )
        entry_offer(entry=entry, offered=True, by=rachid)

    hopital = world.cooperatives["hopital"]
    nadia = world.people["animatrice"]
    themes = {}
    for theme_name, question, answer in HOPITAL_ENTRIES:
        if theme_name not in themes:
            themes[theme_name] = theme_create(cooperative=hopital, name=theme_name, by=nadia)
        faq_entry_create(cooperative=hopital, theme=themes[theme_name], question=question, answer_html=answer, by=nadia)

    proposal_create(
        cooperative=hopital,
        question="Les jours de fractionnement s’appliquent-ils aux contractuels ?",
        context="Je suis en CDD depuis huit mois et j’ai pris une semaine de congés en novembre.",
        by=world.people["membre"],
    )
