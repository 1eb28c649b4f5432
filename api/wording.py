"""The words of the linked-data pages (home, resources, classes, ontology, search, downloads),
in French and English, added to ``api.i18n.MESSAGES`` when this module is imported."""

from __future__ import annotations

from api import i18n

i18n.add({
    "punct.colon": {"fr": "\u202f:", "en": ":"},  # French puts a narrow space before a colon
    "nav.search": {"fr": "Recherche", "en": "Search"},
    "nav.ontology": {"fr": "Ontologie", "en": "Ontology"},
    "nav.api": {"fr": "API", "en": "API"},
    "nav.downloads": {"fr": "Téléchargements", "en": "Downloads"},
    # home
    "home.intro": {
        "fr": "Le graphe de connaissances de la communauté BlueHats, le logiciel libre dans le "
              "secteur public français : événements, sessions, projets, personnes et "
              "organisations, tirés de documents sources cités pour chaque fait.",
        "en": "The knowledge graph of the BlueHats community, free software in the French "
              "public sector: events, sessions, projects, people and organisations, taken from "
              "source documents cited for every fact.",
    },
    "home.licence": {"fr": "Licence des données", "en": "Data licence"},
    "home.source": {"fr": "Sources", "en": "Sources"},
    "home.figures": {"fr": "En chiffres", "en": "In figures"},
    "home.triples": {"fr": "triplets", "en": "triples"},
    "home.entities": {"fr": "ressources", "en": "resources"},
    "home.graphs": {"fr": "graphes nommés", "en": "named graphs"},
    "home.build": {"fr": "Construction {build} — empreinte {hash}",
                   "en": "Build {build} — content hash {hash}"},
    "home.browse": {"fr": "Parcourir", "en": "Browse"},
    "home.events": {"fr": "Événements", "en": "Events"},
    "home.queries": {"fr": "Requêtes prêtes à l'emploi", "en": "Ready-made queries"},
    "home.queries.intro": {
        "fr": "Chaque requête s'ouvre dans l'éditeur SPARQL ; ses résultats existent aussi en "
              "JSON et CSV par l'API.",
        "en": "Each query opens in the SPARQL editor; its results are also available as JSON "
              "and CSV through the API.",
    },
    "home.downloads": {"fr": "Téléchargements", "en": "Downloads"},
    "home.downloads.intro": {
        "fr": "Le graphe entier (union des graphes nommés ; TriG : un graphe par source), la "
              "description du jeu de données (VoID, DCAT) et une table CSV par classe.",
        "en": "The whole graph (union of the named graphs; TriG: one graph per source), the "
              "dataset description (VoID, DCAT) and a CSV table per class.",
    },
    "home.machines": {"fr": "Pour les programmes", "en": "For programs"},
    "home.machines.intro": {
        "fr": "Chaque page existe aussi en Turtle, JSON-LD, N-Triples et RDF/XML (en-tête "
              "Accept, suffixe .ttl, .jsonld, .nt, .rdf ou paramètre format).",
        "en": "Every page also exists as Turtle, JSON-LD, N-Triples and RDF/XML (Accept header, "
              "suffix .ttl, .jsonld, .nt, .rdf or format parameter).",
    },
    "home.sparql": {"fr": "Point d'accès SPARQL", "en": "SPARQL endpoint"},
    "home.rest": {"fr": "API REST (documentation OpenAPI)", "en": "REST API (OpenAPI documentation)"},
    "home.void": {"fr": "Description du jeu de données (VoID, DCAT)",
                  "en": "Dataset description (VoID, DCAT)"},
    "home.no_build": {"fr": "Aucun graphe n'a encore été construit (lancez « kg build »).",
                      "en": "No graph has been built yet (run `kg build`)."},
    # search
    "search.title": {"fr": "Recherche", "en": "Search"},
    "search.label": {"fr": "Nom ou autre nom d'une ressource",
                     "en": "Name or other name of a resource"},
    "search.submit": {"fr": "Chercher", "en": "Search"},
    "search.results": {"fr": "{n} résultat(s) pour « {q} »", "en": "{n} result(s) for “{q}”"},
    "search.none": {"fr": "Aucune ressource ne porte ce nom.", "en": "No resource has that name."},
    "search.hint": {
        "fr": "La recherche ignore les majuscules et les accents et porte sur les noms, sigles et "
              "autres noms.",
        "en": "Search ignores case and accents and looks at names, acronyms and other names.",
    },
    # resource pages
    "resource.types": {"fr": "Types", "en": "Types"},
    "resource.properties": {"fr": "Propriétés", "en": "Properties"},
    "resource.property": {"fr": "Propriété", "en": "Property"},
    "resource.values": {"fr": "Valeurs", "en": "Values"},
    "resource.provenance": {"fr": "Provenance", "en": "Provenance"},
    "resource.source": {"fr": "Document source", "en": "Source document"},
    "resource.section": {"fr": "Section", "en": "Section"},
    "resource.graph": {"fr": "Graphe nommé", "en": "Named graph"},
    "resource.incoming": {"fr": "Liens entrants", "en": "Incoming links"},
    "resource.incoming.total": {"fr": "{n} lien(s) entrant(s) en tout",
                                "en": "{n} incoming link(s) in all"},
    "resource.incoming.count": {"fr": "{n} en tout", "en": "{n} in all"},
    "resource.incoming.none": {"fr": "Aucune autre ressource ne pointe ici.",
                               "en": "No other resource points here."},
    "resource.aligned": {"fr": "Autres vocabulaires (énoncés alignés)",
                         "en": "Other vocabularies (aligned statements)"},
    "resource.aligned.intro": {
        "fr": "Les mêmes faits exprimés avec schema.org, Wikidata et RDFS, matérialisés à partir "
              "des alignements de l'ontologie.",
        "en": "The same facts in schema.org, Wikidata and RDFS terms, materialised from the "
              "ontology's alignments.",
    },
    "resource.formats": {"fr": "Autres formats", "en": "Other formats"},
    "resource.iri": {"fr": "IRI", "en": "IRI"},
    "resource.external": {"fr": "(lien externe)", "en": "(external link)"},
    "resource.class_list": {"fr": "Toutes les ressources de ce type", "en": "Every resource of this type"},
    "resource.api": {"fr": "En JSON (API REST)", "en": "As JSON (REST API)"},
    "page.next": {"fr": "Page suivante", "en": "Next page"},
    "page.previous": {"fr": "Page précédente", "en": "Previous page"},
    "page.of": {"fr": "Page {page} sur {pages}", "en": "Page {page} of {pages}"},
    "page.pagination": {"fr": "Pagination", "en": "Pagination"},
    # graphs
    "graph.title": {"fr": "Graphe nommé {name}", "en": "Named graph {name}"},
    "graph.triples": {"fr": "{n} triplet(s)", "en": "{n} triple(s)"},
    "graph.subjects": {"fr": "Ressources décrites", "en": "Resources described"},
    "graph.store": {"fr": "Ce graphe par le protocole Graph Store",
                    "en": "This graph through the Graph Store Protocol"},
    # classes
    "class.count": {"fr": "{n} ressource(s)", "en": "{n} resource(s)"},
    "class.documentation": {"fr": "Documentation de la classe", "en": "Documentation of the class"},
    "class.csv": {"fr": "Table CSV", "en": "CSV table"},
    "class.json": {"fr": "JSON (API REST)", "en": "JSON (REST API)"},
    "class.all": {"fr": "Classes", "en": "Classes"},
    # ontology
    "ontology.title": {"fr": "Ontologie", "en": "Ontology"},
    "ontology.classes": {"fr": "Classes", "en": "Classes"},
    "ontology.properties": {"fr": "Propriétés", "en": "Properties"},
    "ontology.schemes": {"fr": "Schémas de concepts", "en": "Concept schemes"},
    "ontology.others": {"fr": "Autres termes", "en": "Other terms"},
    "ontology.alignments": {"fr": "Alignements", "en": "Alignments"},
    "ontology.term": {"fr": "Terme", "en": "Term"},
    "ontology.description": {"fr": "Description", "en": "Description"},
    "ontology.instances": {"fr": "{n} instance(s)", "en": "{n} instance(s)"},
    "ontology.used": {"fr": "Utilisée dans {n} énoncé(s)", "en": "Used in {n} statement(s)"},
    "ontology.statements": {"fr": "Tous les énoncés", "en": "Every statement"},
    "ontology.download": {"fr": "L'ontologie en", "en": "The ontology as"},
    "ontology.concepts": {"fr": "Concepts", "en": "Concepts"},
})
