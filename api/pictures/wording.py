"""The words of the pictures (programme, neighbourhood, ontology diagram, figures), in French
and English, added to ``api.i18n.MESSAGES`` when this module is imported."""

from __future__ import annotations

from api import i18n

i18n.add({
    "nav.figures": {"fr": "En chiffres", "en": "Figures"},
    # programme
    "programme.title": {"fr": "Programme", "en": "Programme"},
    "programme.of": {"fr": "Programme : {event}", "en": "Programme: {event}"},
    "programme.summary": {"fr": "{n} session(s) sur {days} jour(s).",
                          "en": "{n} session(s) over {days} day(s)."},
    "programme.ics": {"fr": "Ajouter à mon agenda (.ics)", "en": "Add to my calendar (.ics)"},
    "programme.page": {"fr": "Programme en pleine page", "en": "Full-page programme"},
    "programme.back": {"fr": "Retour à la page de l'événement", "en": "Back to the event's page"},
    "programme.time": {"fr": "Heure", "en": "Time"},
    "programme.no_room": {"fr": "Salle non précisée", "en": "Room not given"},
    "programme.no_room.note": {
        "fr": "La source ne dit pas dans quelle salle se tenait chaque session : elles sont "
              "toutes dans la colonne « Salle non précisée », les sessions parallèles côte à côte.",
        "en": "The source does not say in which room each session took place: they are all in "
              "the lane “Room not given”, parallel sessions side by side.",
    },
    "programme.rooms": {"fr": "Salles du lieu : {rooms}.", "en": "Rooms of the venue: {rooms}."},
    "programme.untimed": {"fr": "Sessions sans horaire dans la source",
                          "en": "Sessions whose time the source does not give"},
    "programme.no_end": {"fr": "fin non précisée", "en": "end not given"},
    "programme.speakers": {"fr": "Intervenants", "en": "Speakers"},
    "programme.projects": {"fr": "Projets", "en": "Projects"},
    "programme.more": {"fr": "et {n} autre(s)", "en": "and {n} more"},
    "programme.as_given": {"fr": "Horaire dans la source", "en": "Time as given"},
    "programme.none": {"fr": "Cet événement n'a pas de sessions dans le graphe.",
                       "en": "This event has no sessions in the graph."},
    # neighbourhood
    "neighbourhood.title": {"fr": "Voisinage", "en": "Neighbourhood"},
    "neighbourhood.intro": {
        "fr": "{name} et les ressources à un pas, groupées par relation ({n} voisin(s)) : en "
              "violet celles qui pointent vers {name}, en bleu celles vers lesquelles {name} "
              "pointe.",
        "en": "{name} and the resources one step away, grouped by relation ({n} neighbour(s)): "
              "in purple those that point to {name}, in blue those {name} points to.",
    },
    "neighbourhood.alt": {
        "fr": "Diagramme du voisinage de {name} : {groups}.",
        "en": "Diagram of the neighbourhood of {name}: {groups}.",
    },
    "neighbourhood.text": {"fr": "Version texte du diagramme", "en": "Text version of the diagram"},
    "neighbourhood.more": {"fr": "… et {n} autre(s)", "en": "… and {n} more"},
    "neighbourhood.incoming": {"fr": "{property} (vers {name})", "en": "{property} (to {name})"},
    "neighbourhood.svg": {"fr": "Le diagramme en SVG", "en": "The diagram as SVG"},
    # ontology diagram
    "ontology_diagram.title": {"fr": "Diagramme de l'ontologie", "en": "Diagram of the ontology"},
    "ontology_diagram.intro": {
        "fr": "Les classes et les propriétés qui les relient, avec leurs équivalents schema.org "
              "et Wikidata. Les propriétés à valeur littérale sont décrites plus bas.",
        "en": "The classes and the properties between them, with their schema.org and Wikidata "
              "equivalents. Properties with literal values are documented below.",
    },
    "ontology_diagram.alt": {
        "fr": "Diagramme de l'ontologie : {classes} classes reliées par {properties} propriétés.",
        "en": "Diagram of the ontology: {classes} classes linked by {properties} properties.",
    },
    "ontology_diagram.text": {"fr": "Version texte du diagramme",
                              "en": "Text version of the diagram"},
    # figures
    "figures.title": {"fr": "L'écosystème en chiffres", "en": "The ecosystem in figures"},
    "figures.link": {"fr": "Qui construit quoi : l'écosystème en graphiques",
                     "en": "Who builds what: the ecosystem in charts"},
    "figures.intro": {
        "fr": "Qui construit quoi : des graphiques tirés des requêtes nommées du graphe. Chaque "
              "graphique renvoie à sa requête et aux chiffres au format CSV.",
        "en": "Who builds what: charts drawn from the graph's named queries. Each chart links "
              "to its query and to its numbers as CSV.",
    },
    "figures.query": {"fr": "La requête", "en": "The query"},
    "figures.sparql": {"fr": "l'ouvrir dans l'éditeur SPARQL", "en": "open it in the SPARQL editor"},
    "figures.csv": {"fr": "Les chiffres (CSV)", "en": "The numbers (CSV)"},
    "figures.table": {"fr": "Les chiffres en tableau", "en": "The numbers as a table"},
    "figures.empty": {"fr": "Aucune donnée pour ce graphique.", "en": "No data for this chart."},
    "figures.hidden": {"fr": "Le graphique montre les premiers ; {n} autre(s) dans le tableau.",
                       "en": "The chart shows the first ones; {n} more in the table."},
    "figures.count": {"fr": "Nombre", "en": "Count"},
    "figures.licence.none": {"fr": "aucune licence indiquée", "en": "no licence stated"},
    "figures.alt": {"fr": "{title}. {details}.", "en": "{title}. {details}."},
    "figures.alt.more": {"fr": "et {n} autre(s)", "en": "and {n} more"},
    "figures.api": {"fr": "ses résultats (JSON)", "en": "its results (JSON)"},
    "figures.truncated": {"fr": "Résultats tronqués par la limite de lignes du serveur.",
                          "en": "Results cut by the server's row limit."},
})
