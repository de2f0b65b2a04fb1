"""What the demonstration world says: people, places and a month of news, in plain French.

Short posts, one idea each, no acronyms: the way the product asks members to
write. ``{@key}`` in a text becomes the @mention of the person ``key``.
"""

from __future__ import annotations

# key, display name, e-mail local part (None: derived from the name), job, where they belong
PEOPLE = [
    # The three demonstration logins
    ("admin", "Camille Roussel", "admin", "Chargée de communication", "ud"),
    ("animatrice", "Nadia Benali", "animatrice", "Infirmière de bloc", "hopital"),
    ("membre", "Lucas Martin", "membre", "Aide-soignant de nuit", "hopital"),
    # Union départementale and the two unions
    ("rachid", "Rachid Haddad", None, "Agent de maintenance", "ud"),
    ("sylvie", "Sylvie Moreau", None, "Comptable", "ud"),
    ("mamadou", "Mamadou Diallo", None, "Infirmier", "sante"),
    ("helene", "Hélène Fontaine", None, "Secrétaire médicale", "sante"),
    ("jose", "José Da Silva", None, "Chef de rayon", "commerce"),
    ("aurelie", "Aurélie Brun", None, "Caissière", "commerce"),
    # Hospital
    ("sophie", "Sophie Lambert", None, "Aide-soignante", "hopital"),
    ("karim", "Karim Mansouri", None, "Brancardier", "hopital"),
    ("linh", "Linh Nguyen", None, "Infirmière de nuit", "hopital"),
    ("pierre", "Pierre Girard", None, "Manipulateur radio", "hopital"),
    ("fatou", "Fatou Camara", None, "Agente de service hospitalier", "hopital"),
    ("thomas", "Thomas Lefèvre", None, "Kinésithérapeute", "hopital"),
    ("ines", "Inès Cherif", None, "Sage-femme", "hopital"),
    ("bruno", "Bruno Garcia", None, "Cuisinier", "hopital"),
    ("chantal", "Chantal Mercier", None, "Cadre de santé", "hopital"),
    ("yann", "Yann Le Gall", None, "Infirmier aux urgences", "hopital"),
    ("samia", "Samia Brahimi", None, "Aide-soignante", "hopital"),
    # Retirement home
    ("monique", "Monique Faure", None, "Aide médico-psychologique", "ehpad"),
    ("moussa", "Moussa Traoré", None, "Agent d’entretien", "ehpad"),
    ("julie", "Julie Perrin", None, "Animatrice", "ehpad"),
    ("ana", "Ana Pereira", None, "Aide-soignante", "ehpad"),
    ("eric", "Éric Blanc", None, "Cuisinier", "ehpad"),
    ("aicha", "Aïcha Ndiaye", None, "Infirmière", "ehpad"),
    ("gilles", "Gilles Roux", None, "Veilleur de nuit", "ehpad"),
    ("clara", "Clara Rossi", None, "Lingère", "ehpad"),
    # Supermarket
    ("kevin", "Kevin Dupont", None, "Employé de réception", "magasin"),
    ("leila", "Leïla Amrani", None, "Caissière", "magasin"),
    ("didier", "Didier Vidal", None, "Boucher", "magasin"),
    ("mei", "Mei Tran", None, "Employée de rayon", "magasin"),
    ("paulo", "Paulo Ferreira", None, "Préparateur de commandes", "magasin"),
    ("oceane", "Océane Petit", None, "Étudiante, caisse le week-end", "magasin"),
    ("youssef", "Youssef Bouzid", None, "Boulanger", "magasin"),
    ("martine", "Martine Renard", None, "Hôtesse d’accueil", "magasin"),
    # Members of the union without a section here
    ("damien", "Damien Arnaud", None, "Éducateur spécialisé", "sante"),
    ("khadija", "Khadija Saïdi", None, "Assistante sociale", "sante"),
    ("marco", "Marco Esposito", None, "Vendeur", "commerce"),
    ("zoe", "Zoé Lemoine", None, "Conseillère clientèle", "commerce"),
]

# key, kind, name, parent key, département, town, description
STRUCTURES = [
    (
        "ud",
        "ud",
        "Union départementale des Bouches-du-Rhône",
        None,
        "13",
        "Marseille",
        "Toutes les organisations du département, réunies pour agir ensemble.",
    ),
    (
        "sante",
        "syndicat",
        "Syndicat santé et action sociale de Marseille",
        "ud",
        "13",
        "Marseille",
        "Hôpitaux, cliniques, maisons de retraite, foyers et centres sociaux.",
    ),
    (
        "commerce",
        "syndicat",
        "Syndicat commerce et services des Bouches-du-Rhône",
        "ud",
        "13",
        "Marseille",
        "Magasins, entrepôts, centres d’appels et services.",
    ),
    (
        "hopital",
        "section",
        "Section Hôpital Nord-Littoral",
        "sante",
        "13",
        "Marseille",
        "Les syndiqués de l’hôpital, de jour comme de nuit.",
    ),
    (
        "ehpad",
        "section",
        "Section Maison de retraite Les Oliviers",
        "sante",
        "13",
        "Aubagne",
        "Soignants, cuisine, entretien et animation de la maison de retraite.",
    ),
    (
        "magasin",
        "section",
        "Section Supermarché des Calanques",
        "commerce",
        "13",
        "La Ciotat",
        "Caisse, rayons, réception et boulangerie.",
    ),
]

# structure key, person key, role
OFFICIALS = [
    ("ud", "rachid", "secretaire"), ("ud", "sylvie", "tresorier"), ("ud", "admin", "communication"),
    ("sante", "mamadou", "secretaire"), ("sante", "helene", "tresorier"),
    ("commerce", "jose", "secretaire"), ("commerce", "aurelie", "tresorier"),
    ("hopital", "animatrice", "secretaire"), ("hopital", "karim", "tresorier"), ("hopital", "linh", "communication"),
    ("ehpad", "monique", "secretaire"), ("ehpad", "moussa", "tresorier"), ("ehpad", "julie", "animateur"),
    ("magasin", "leila", "secretaire"), ("magasin", "kevin", "tresorier"), ("magasin", "mei", "communication"),
]  # fmt: skip

# key, name, creator, join policy, description, members (besides the creator), pending requests
OPEN_COOPERATIVES = [
    (
        "egalite",
        "Égalité femmes-hommes",
        "animatrice",
        "open",
        "Salaires, carrières, temps partiel, violences au travail : on agit pour l’égalité, dans chaque service.",
        ["membre", "sophie", "ines", "leila", "aicha", "julie", "sylvie", "mei", "khadija", "admin", "fatou", "zoe"],
        [],
    ),
    (
        "elections",
        "Élections professionnelles 2027",
        "rachid",
        "request",
        "Préparer les listes, les professions de foi et la campagne dans chaque établissement.",
        ["animatrice", "mamadou", "jose", "monique", "leila", "karim", "helene", "kevin"],
        ["membre", "didier"],
    ),
    (
        "teletravail",
        "Télétravail et droit à la déconnexion",
        "zoe",
        "open",
        "Pour celles et ceux qui travaillent à distance, même un peu : accords, frais, horaires.",
        ["membre", "sylvie", "helene", "marco", "khadija", "admin"],
        [],
    ),
    (
        "jeunes",
        "Jeunes militant·es",
        "animatrice",
        "request",
        "Moins de 30 ans, alternance, premier emploi : on s’organise et on se forme ensemble.",
        ["oceane", "kevin", "yann", "mei", "youssef", "clara"],
        ["paulo", "thomas", "membre"],
    ),
    (
        "sante_travail",
        "Santé au travail",
        "animatrice",
        "invitation",
        "Douleurs, chaleur, horaires de nuit, risques : comprendre ses droits et les faire respecter.",
        ["membre", "chantal", "moussa", "ana", "didier", "damien", "gilles", "samia"],
        [],
    ),
]

# Later arrivals: (day of the month, person, cooperative) - they show in the feed as "joined".
LATE_JOINS = [(6, "pierre", "egalite"), (11, "marco", "egalite"), (15, "bruno", "teletravail"),
              (19, "eric", "egalite"), (23, "linh", "teletravail")]  # fmt: skip

# (poster text, subtitle, alt text) for pictures drawn at build time
Image = tuple[str, str, str]

# cooperative key (a structure key means its private cooperative), author, text, images, specific comments
POSTS: list[tuple[str, str, str, list[Image], list[tuple[str, str]]]] = [
    (
        "hopital",
        "animatrice",
        "Réunion d’équipe jeudi à 14 h, en salle de pause du bâtiment B. On parle du planning de l’été.",
        [],
        [
            ("sophie", "J’y serai, avec deux collègues de cardiologie."),
            ("membre", "Je suis de nuit, je lirai le compte rendu."),
        ],
    ),
    (
        "hopital",
        "linh",
        "Les plannings d’été sont sortis. Congé refusé sans explication ? Dites-le nous avant vendredi.",
        [],
        [
            ("samia", "Le mien a été refusé deux fois."),
            ("animatrice", "{@samia} passe à la permanence mardi, on regarde ensemble."),
        ],
    ),
    (
        "ud",
        "rachid",
        "Manifestation samedi à 14 h sur le Vieux-Port. Venez avec vos collègues et vos proches.",
        [
            (
                "Samedi 14 h : tous au Vieux-Port !",
                "Union départementale des Bouches-du-Rhône",
                "Affiche rouge : « Samedi 14 h : tous au Vieux-Port ! »",
            )
        ],
        [("jose", "Le commerce sera là avec la banderole."), ("helene", "La santé aussi, on vient à vingt.")],
    ),
    (
        "egalite",
        "animatrice",
        "Le 8 mars, on se retrouve à 15 h 40 devant nos lieux de travail : "
        "c’est l’heure où les femmes arrêtent d’être payées.",
        [
            (
                "8 mars, 15 h 40 : on s’arrête",
                "Égalité femmes-hommes",
                "Affiche violette : « 8 mars, 15 h 40 : on s’arrête »",
            )
        ],
        [("ines", "Rendez-vous devant la maternité !"), ("leila", "On fera pareil devant le magasin.")],
    ),
    (
        "hopital",
        "animatrice",
        "Bonne nouvelle : "
        "après notre pétition, la direction remplace les deux postes d’aides-soignantes de nuit en cardiologie.",
        [],
        [("membre", "Enfin ! Merci à toutes et à tous."), ("linh", "Ça va changer nos nuits.")],
    ),
    (
        "ehpad",
        "monique",
        "Il manque toujours une personne le week-end pour les toilettes du matin. "
        "Nous en parlons avec la direction vendredi.",
        [],
        [("ana", "Samedi dernier, on était deux pour tout l’étage.")],
    ),
    (
        "magasin",
        "leila",
        "Ouverture le dimanche : la direction veut la tester en juin. On fait le point jeudi à la pause de 15 h.",
        [],
        [("didier", "Hors de question pour la boucherie."), ("oceane", "Je travaille déjà le week-end, je viendrai.")],
    ),
    (
        "hopital",
        "karim",
        "Rappel : la permanence syndicale a lieu le mardi de 12 h à 14 h, au rez-de-chaussée, porte 12. "
        "Sans rendez-vous.",
        [],
        [],
    ),
    (
        "sante",
        "mamadou",
        "Assemblée générale du syndicat le 20 à la bourse du travail, à 18 h. Tous les adhérents sont invités.",
        [],
        [("helene", "Pensez à venir avec votre carte d’adhérent.")],
    ),
    (
        "teletravail",
        "zoe",
        "Droit à la déconnexion : personne n’a à répondre à un message professionnel après 19 h.",
        [],
        [
            ("marco", "Chez nous, les messages arrivent jusqu’à 22 h."),
            ("zoe", "{@marco} note-les, c’est utile pour la négociation."),
        ],
    ),
    (
        "hopital",
        "animatrice",
        "Vous êtes de nuit et vous ne pouvez pas venir aux réunions ? "
        "Écrivez vos questions ici, on les portera pour vous.",
        [],
        [
            ("membre", "Les pauses de nuit ne sont jamais remplacées. Peut-on en parler ?"),
            ("yann", "Pareil aux urgences."),
        ],
    ),
    (
        "ehpad",
        "julie",
        "Les résidents ont fêté les cent ans de Madame Rose hier. Merci à toute l’équipe pour ce beau moment.",
        [
            (
                "Cent ans ! Bon anniversaire Madame Rose",
                "Maison de retraite Les Oliviers",
                "Affiche verte : « Cent ans ! Bon anniversaire Madame Rose »",
            )
        ],
        [("aicha", "Quelle belle journée."), ("clara", "Elle a dansé !")],
    ),
    (
        "elections",
        "rachid",
        "Les élections approchent : chaque section doit préparer sa liste avant la fin de l’année.",
        [],
        [],
    ),
    (
        "magasin",
        "mei",
        "Tract distribué ce matin à l’entrée du personnel. Il est aussi affiché en salle de pause.",
        [
            (
                "Caisses automatiques : aucun poste supprimé",
                "Section Supermarché des Calanques",
                "Tract bleu : « Caisses automatiques : aucun poste supprimé »",
            )
        ],
        [("kevin", "Bien reçu à la réception.")],
    ),
    (
        "hopital",
        "linh",
        "Merci à celles et ceux qui ont signé la pétition sur les effectifs : 312 signatures en une semaine !",
        [
            ("312 signatures. Merci !", "Section Hôpital Nord-Littoral", "Affiche rouge : « 312 signatures. Merci ! »"),
            (
                "Lundi, on la remet au directeur",
                "Rendez-vous à 9 h, hall d’accueil",
                "Affiche bleue : « Lundi, on la remet au directeur », rendez-vous à 9 heures dans le hall d’accueil",
            ),
        ],
        [("pierre", "Je viendrai lundi."), ("chantal", "Bravo pour le travail.")],
    ),
    (
        "jeunes",
        "animatrice",
        "Première rencontre des jeunes syndiqués samedi à 11 h, au local de l’union départementale. Café offert.",
        [],
        [("oceane", "Je viens avec une amie du magasin."), ("youssef", "Présent !")],
    ),
    ("commerce", "jose", "Réunion des délégués du commerce le 14 à 9 h 30, au local du syndicat.", [], []),
    (
        "sante_travail",
        "animatrice",
        "Chaleur : au-dessus de 30 degrés, l’employeur doit adapter le travail. "
        "Pauses, eau fraîche, horaires : demandez.",
        [],
        [
            ("moussa", "À la cuisine, on a dépassé 35 degrés hier."),
            ("gilles", "On peut avoir une affiche pour le vestiaire ?"),
        ],
    ),
    (
        "ehpad",
        "moussa",
        "Nouveau : un vestiaire fermé à clé pour chaque salarié. Obtenu après deux ans de demandes.",
        [],
        [("eric", "Ça valait le coup d’insister.")],
    ),
    (
        "hopital",
        "animatrice",
        "La visite du médecin du travail est possible à votre demande, à tout moment. "
        "Pas seulement pour les visites obligatoires.",
        [],
        [],
    ),
    (
        "ud",
        "admin",
        "L’union départementale ouvre une permanence juridique le mercredi matin, sur rendez-vous.",
        [],
        [("mamadou", "Très utile pour nos collègues des foyers.")],
    ),
    (
        "magasin",
        "kevin",
        "Le planning doit être affiché deux semaines à l’avance. Ce n’est pas le cas au rayon frais : on s’en occupe.",
        [],
        [("paulo", "À l’entrepôt non plus.")],
    ),
    (
        "egalite",
        "sylvie",
        "Écart de salaire dans votre entreprise : le chiffre est public. On vous aide à le lire jeudi soir, en visio.",
        [],
        [("zoe", "Je m’inscris."), ("mei", "Est-ce que ça vaut aussi pour les magasins de moins de 50 salariés ?")],
    ),
    (
        "hopital",
        "chantal",
        "Bienvenue aux six nouvelles infirmières arrivées ce mois-ci ! Passez nous voir à la permanence.",
        [],
        [],
    ),
    (
        "sante",
        "helene",
        "Formation des nouveaux élus : deux sessions en avril. Inscriptions auprès de votre section.",
        [],
        [],
    ),
    (
        "ehpad",
        "aicha",
        "Réunion d’information sur la mutuelle mardi à 15 h, en salle à manger. Apportez vos questions.",
        [],
        [],
    ),
    (
        "teletravail",
        "sylvie",
        "Frais de télétravail : certains accords prévoient une indemnité. Partagez les vôtres ici.",
        [],
        [("helene", "Chez nous, 2 euros par jour."), ("admin", "Je fais un tableau avec vos réponses.")],
    ),
    (
        "hopital",
        "membre",
        "Le parking du personnel a sa barrière en panne depuis lundi. Quelqu’un sait qui prévenir ?",
        [],
        [
            ("karim", "J’ai prévenu les services techniques ce matin."),
            ("animatrice", "On l’ajoute aux questions de jeudi."),
        ],
    ),
    (
        "magasin",
        "leila",
        "Salaires : la négociation annuelle commence le 3. Dites-nous ce qui compte le plus pour vous.",
        [],
        [("didier", "Les primes du dimanche."), ("mei", "Le treizième mois."), ("martine", "Les tickets restaurant.")],
    ),
    (
        "jeunes",
        "kevin",
        "Alternance et stages : vous avez des droits. Une permanence spéciale ouvre en septembre.",
        [],
        [],
    ),
    (
        "ud",
        "rachid",
        "Merci aux 5 000 personnes présentes samedi. Le compte rendu arrive dans la semaine.",
        [
            ("Merci aux 5 000 !", "Samedi, Vieux-Port", "Affiche orange : « Merci aux 5 000 ! »"),
            ("La suite se décide ensemble", "Assemblée le 20, 18 h", "Affiche rouge : « La suite se décide ensemble »"),
            ("On ne lâche rien", "Union départementale", "Affiche noire : « On ne lâche rien »"),
        ],
        [("aurelie", "Quelle ambiance !"), ("jose", "Merci aux équipes du service d’ordre.")],
    ),
    (
        "sante_travail",
        "chantal",
        "Douleurs au dos ou aux épaules : faites-les noter dans le registre de sécurité. C’est une preuve utile.",
        [],
        [("ana", "Où se trouve le registre chez nous ?"), ("moussa", "{@ana} au bureau de l’infirmière.")],
    ),
    (
        "ehpad",
        "monique",
        "Les heures supplémentaires doivent être payées ou récupérées. Notez-les chaque jour dans votre carnet.",
        [],
        [],
    ),
    (
        "hopital",
        "animatrice",
        "Grève nationale de la santé le 12 : "
        "rendez-vous à 10 h devant l’entrée principale. Le service minimum sera assuré.",
        [
            (
                "Le 12, grève pour nos effectifs",
                "10 h, entrée principale",
                "Affiche rouge : « Le 12, grève pour nos effectifs »",
            )
        ],
        [
            ("thomas", "La rééducation sera là."),
            ("bruno", "La cuisine aussi."),
            ("fatou", "Je peux distribuer des tracts à 9 h."),
        ],
    ),
    (
        "elections",
        "animatrice",
        "Fiche pratique : comment faire une liste équilibrée entre femmes et hommes. Je la dépose au local lundi.",
        [],
        [("monique", "Merci, on en a besoin à la maison de retraite.")],
    ),
    (
        "commerce",
        "aurelie",
        "Travail du dimanche : ce que dit la loi, en cinq points simples. Le document est affiché dans chaque section.",
        [
            (
                "Le dimanche, c’est volontaire",
                "Cinq points à connaître",
                "Affiche bleue : « Le dimanche, c’est volontaire »",
            )
        ],
        [],
    ),
    (
        "magasin",
        "mei",
        "Rayon surgelés : les gants et les vestes chaudes sont fournis. Demandez-les à votre chef de rayon.",
        [],
        [],
    ),
    (
        "egalite",
        "animatrice",
        "Nouvelle affiche disponible pour vos panneaux syndicaux. Demandez-en à votre section.",
        [
            (
                "À travail égal, salaire égal",
                "Égalité femmes-hommes",
                "Affiche violette : « À travail égal, salaire égal »",
            ),
            ("Le sexisme n’est pas une blague", "Parlons-en", "Affiche noire : « Le sexisme n’est pas une blague »"),
        ],
        [("fatou", "J’en prends cinq pour le troisième étage."), ("aicha", "Elles sont très belles.")],
    ),
    (
        "hopital",
        "linh",
        "Compte rendu de la réunion avec la direction : "
        "trois demandes obtenues, deux refusées. Le détail est sur le panneau.",
        [],
        [("membre", "Lesquelles ont été refusées ?"), ("linh", "{@membre} les pauses de nuit et la prime d’équipe.")],
    ),
    (
        "sante",
        "mamadou",
        "Le syndicat soutient les collègues de la clinique Saint-Jean, en grève depuis lundi. "
        "La caisse de solidarité est ouverte.",
        [],
        [("damien", "Je fais un virement ce soir."), ("khadija", "Les foyers participent aussi.")],
    ),
    (
        "ehpad",
        "gilles",
        "Merci aux collègues de nuit qui ont tenu le service pendant la panne de courant. Chapeau.",
        [],
        [("julie", "Bravo à vous."), ("ana", "Quelle nuit !")],
    ),
    (
        "teletravail",
        "zoe",
        "Petit sondage : combien de jours de télétravail voudriez-vous par semaine ? Répondez en commentaire.",
        [],
        [
            ("marco", "Deux."),
            ("sylvie", "Un seul, j’aime voir mes collègues."),
            ("membre", "Aucun, je soigne des patients !"),
        ],
    ),
    (
        "magasin",
        "kevin",
        "Bravo aux collègues de la réception : la nouvelle organisation des livraisons a été discutée avec eux.",
        [],
        [],
    ),
    (
        "hopital",
        "animatrice",
        "Formation sur les droits des contractuels : deux jours, payés, en mars. "
        "Qui veut y aller ? {@membre}, ça t’intéresse ?",
        [],
        [("membre", "Oui, je m’inscris."), ("samia", "Moi aussi si c’est possible.")],
    ),
    (
        "jeunes",
        "animatrice",
        "Merci pour cette super journée de formation ! On remet ça en juin.",
        [
            (
                "Jeunes, syndiqués, solidaires",
                "Journée de formation",
                "Affiche orange : « Jeunes, syndiqués, solidaires »",
            )
        ],
        [("clara", "J’ai appris plein de choses."), ("yann", "Vivement juin.")],
    ),
    (
        "commerce",
        "jose",
        "Bienvenue à la nouvelle section du Supermarché des Calanques !",
        [],
        [("leila", "Merci, on est déjà vingt-deux !")],
    ),
    (
        "ud",
        "sylvie",
        "Conférence départementale : les documents de préparation sont disponibles auprès de vos syndicats.",
        [],
        [],
    ),
    (
        "ehpad",
        "ana",
        "Pétition pour un deuxième lève-malade au premier étage : la feuille est au poste de soins.",
        [],
        [("monique", "Déjà 24 signatures."), ("aicha", "Je la fais signer à l’équipe de nuit.")],
    ),
    (
        "hopital",
        "yann",
        "Les nouvelles tenues de travail sont arrivées. Si la taille ne va pas, la lingerie les échange.",
        [],
        [],
    ),
    (
        "sante_travail",
        "animatrice",
        "Le document qui liste les risques de votre travail doit être accessible à tous. Demandez à le consulter.",
        [],
        [
            ("didier", "Jamais vu ce document au magasin."),
            ("animatrice", "{@didier} la section peut le demander pour toi."),
        ],
    ),
    (
        "magasin",
        "oceane",
        "Rappel pour les étudiants en contrat week-end : vous avez droit aux mêmes pauses que tout le monde.",
        [],
        [("leila", "Merci de le rappeler.")],
    ),
    (
        "elections",
        "jose",
        "Atelier en ligne mardi à 19 h : faire campagne quand on travaille de nuit ou en horaires décalés.",
        [],
        [],
    ),
    (
        "sante",
        "helene",
        "Nouveau guide : vos droits en cas d’accident du travail. Il est disponible à la permanence.",
        [
            (
                "Accident du travail : vos droits",
                "Le guide du syndicat",
                "Couverture verte : « Accident du travail : vos droits »",
            )
        ],
        [("mamadou", "Merci Hélène pour ce travail.")],
    ),
    (
        "hopital",
        "animatrice",
        "La prime de fin d’année sera versée avec le salaire de décembre. "
        "Montant bizarre ? Venez avec votre fiche de paie.",
        [],
        [],
    ),
    (
        "egalite",
        "ines",
        "Une remarque sexiste au travail ? Vous pouvez en parler ici, ou en privé avec {@animatrice}.",
        [],
        [("khadija", "Merci d’ouvrir cet espace.")],
    ),
    (
        "ud",
        "admin",
        "Covoiturage pour la manifestation à Paris : indiquez votre ville de départ en commentaire.",
        [],
        [
            ("helene", "Marseille centre, trois places."),
            ("aurelie", "La Ciotat, une place."),
            ("mamadou", "Marseille nord, deux places."),
        ],
    ),
    (
        "ehpad",
        "julie",
        "Élection des représentants du personnel : "
        "on cherche des candidates et des candidats. Parlez-en autour de vous.",
        [],
        [("clara", "Je veux bien essayer.")],
    ),
    (
        "magasin",
        "leila",
        "Caisses automatiques : personne ne doit perdre son poste. Nous demandons un engagement écrit à la direction.",
        [],
        [("martine", "Merci de nous défendre."), ("youssef", "Et la boulangerie ?")],
    ),
    (
        "hopital",
        "membre",
        "Qui serait partant pour un repas partagé de l’équipe de nuit, le 28 ? J’apporte le dessert.",
        [],
        [("linh", "Avec plaisir !"), ("yann", "Je viens avec des crêpes.")],
    ),
]

# Short answers anyone may leave, used on top of the specific comments above.
GENERIC_COMMENTS = [
    "Merci pour l’info.", "Bien reçu.", "Je transmets aux collègues.", "Bravo !", "Super nouvelle.",
    "Je relaie dans mon service.", "Merci, c’est clair.", "J’y serai.", "Je ne pourrai pas venir, désolé.",
    "On compte sur vous.", "C’est noté.", "Très bonne idée.", "Je partage au vestiaire.", "Merci à vous.",
]  # fmt: skip
