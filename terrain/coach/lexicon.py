"""Acronyms of French workplaces and unions, with the plain words a reader needs.

Keys are written in capitals without dots ("C.S.E" is looked up as "CSE"). A structure's
own lexicon is merged over this one; an empty expansion there means "everyone here knows
it, do not flag it".
"""

from __future__ import annotations

BUILTIN: dict[str, str] = {
    "AG": "assemblée générale",
    "ANI": "accord national interprofessionnel",
    "APLD": "activité partielle de longue durée",
    "AT": "accident du travail",
    "AT/MP": "accidents du travail et maladies professionnelles",
    "BDES": "base de données économiques et sociales",
    "BDESE": "base de données économiques, sociales et environnementales",
    "CA": "conseil d'administration",
    "CCN": "convention collective nationale",
    "CDD": "contrat à durée déterminée",
    "CDI": "contrat à durée indéterminée",
    "CE": "comité d'entreprise",
    "CHSCT": "comité d'hygiène, de sécurité et des conditions de travail",
    "CP": "congés payés",
    "CPF": "compte personnel de formation",
    "CPH": "conseil de prud'hommes",
    "CSE": "comité social et économique",
    "CSE-C": "comité social et économique central",
    "CSEC": "comité social et économique central",
    "CSSCT": "commission santé, sécurité et conditions de travail",
    "DP": "délégué·e du personnel",
    "DRH": "direction des ressources humaines",
    "DS": "délégué·e syndical·e",
    "DSC": "délégué·e syndical·e central·e",
    "DUERP": "document unique d'évaluation des risques professionnels",
    "GPEC": "gestion prévisionnelle des emplois et des compétences",
    "GEPP": "gestion des emplois et des parcours professionnels",
    "IRP": "instances représentatives du personnel",
    "MP": "maladie professionnelle",
    "NAO": "négociation annuelle obligatoire",
    "OPCO": "opérateur de compétences",
    "PAP": "protocole d'accord préélectoral",
    "PDV": "plan de départs volontaires",
    "PMR": "personnes à mobilité réduite",
    "PSE": "plan de sauvegarde de l'emploi",
    "PV": "procès-verbal",
    "QVT": "qualité de vie au travail",
    "QVCT": "qualité de vie et des conditions de travail",
    "RCC": "rupture conventionnelle collective",
    "RDV": "rendez-vous",
    "RH": "ressources humaines",
    "RPS": "risques psychosociaux",
    "RQTH": "reconnaissance de la qualité de travailleur handicapé",
    "RSS": "représentant·e de section syndicale",
    "RSA": "revenu de solidarité active",
    "RTT": "réduction du temps de travail (jours de repos)",
    "SMIC": "salaire minimum",
    "TMS": "troubles musculo-squelettiques",
    "UD": "union départementale",
    "UL": "union locale",
    "UR": "union régionale",
    "VAE": "validation des acquis de l'expérience",
}

# Capitals that are names or words everyone reads without help: never flagged as
# acronyms, never counted as shouting.
KNOWN_NAMES: frozenset[str] = frozenset(
    {
        # Unions and federations are the structures' own names.
        "CGT", "CFDT", "FO", "CGT-FO", "CFE-CGC", "CGC", "CFTC", "UNSA", "FSU", "SUD", "CNT",
        "UNEF", "FCE", "FCE-CFDT", "CFDT-FCE",
        # Companies, institutions and everyday abbreviations.
        "SNCF", "RATP", "EDF", "GDF", "EHPAD", "CAF", "URSSAF", "CPAM", "SAMU", "TGV", "RER",
        "HLM", "ONU", "UE", "USA", "OK", "TV", "PDF", "CV", "SMS", "GPS", "PC", "USB", "WC", "COVID",
        "COVID-19", "PS", "NB", "FAQ", "QR", "WIFI", "BD", "ADN",
    }
)  # fmt: skip
