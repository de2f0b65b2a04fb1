from __future__ import annotations

import pytest

from terrain.coach.tests.helpers import codes, flags_of


@pytest.mark.parametrize(
    "text",
    [
        "Signez la pétition pour les embauches, votez aux élections et adhérez au syndicat !",
        "Grève le 12. Autre info : la cantine ferme du 20 au 24. Venez.",
        "Merci pour jeudi ! Venez nombreux lundi.\nPS : la fête du syndicat a lieu le 21 juin.",
        "Lisez le compte rendu https://exemple.org/cr et le tract https://exemple.org/tract",
    ],
)
def test_several_ideas(text):
    [flag] = flags_of("several_ideas", text)
    assert "1 idée" in flag.message or "une idée" in flag.message
    assert flag.severity == "advice"


@pytest.mark.parametrize(
    "text",
    [
        "Signez la pétition et partagez-la autour de vous : https://exemple.org/p",
        "Réunion jeudi 12h : venez nombreuses, inscrivez-vous ici https://exemple.org/r",
        "Élections du comité : venez voter jeudi, c'est rapide.",
        "Donnez-nous votre avis en répondant au questionnaire https://exemple.org/q",
        "Grève demain. Les grévistes ont besoin de vous : donnez à la caisse de grève https://exemple.org/c",
    ],
)
def test_one_idea_with_its_companions(text):
    assert "several_ideas" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Signez la pétition.",
        "Vous pouvez signer la pétition en ligne.",
        "Nous vous invitons à voter du 4 au 11 mars.",
        "Rejoignez-nous jeudi à 14h devant le bâtiment.",
        "Débrayage jeudi 14h devant l'atelier 3.",
        "Un souci ? Signalez-le à vos élu·es.",
        "Soutenons-les jusqu'au bout.",
        "Rendez-vous samedi place Bellecour.",
    ],
)
def test_a_call_to_action_is_seen(text):
    assert "no_call_to_action" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Victoire ! La prime de nuit est maintenue. Merci à toutes et à tous.",
        "La direction a présenté ses résultats : dividendes +15 %, salaires +1,8 %.",
        "Vous votez depuis chez vous, c'est simple.",  # a description, not a request
    ],
)
def test_no_call_to_action(text):
    [flag] = flags_of("no_call_to_action", text)
    assert "Signez la pétition" in flag.suggestion


def test_several_ideas_points_at_the_second_request_as_written():
    text = "Signez la pétition pour l'hôpital. Et votez dès lundi pour vos élu·es !"
    [flag] = flags_of("several_ideas", text)
    assert flag.excerpt == "Signez … votez"
    assert text[flag.start : flag.end] == "votez"


def test_a_change_of_subject_is_pointed_at():
    text = "Grève le 12 : venez nombreuses.\nPar ailleurs, la cantine ferme lundi."
    [flag] = flags_of("several_ideas", text)
    assert text[flag.start : flag.end] == "Par ailleurs"
    assert "Par ailleurs" in flag.message


def test_joining_a_group_and_coming_to_an_event_are_told_apart():
    assert "several_ideas" in codes("Rejoignez le collectif et signez notre lettre au maire.")
    assert "several_ideas" not in codes("Rejoignez-nous le 12 devant la mairie, avec vos voisin·es !")
