"""Reconciliation, both ways: names against our graph (the ``/reconcile`` service) and our
entities against Wikidata (``kg reconcile wikidata``, the review file, QuickStatements).

- ``text``: folding of names (case, accents, punctuation) and URL normal forms;
- ``scoring``: one scorer for both directions (names, types, property agreement, ``match``);
- ``candidates``: our graph's reconcilable entities, read from a built store;
- ``wikidata``: the client of a Wikidata SPARQL endpoint;
- ``review``: the review file a person edits (accept / reject);
- ``quickstatements``: what Wikidata lacks, as QuickStatements v1.
"""
