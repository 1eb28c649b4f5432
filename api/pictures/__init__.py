"""Pictures of the graph, for people who would rather look than read.

- ``programme``: the programme grid of an event (days × times × rooms, parallel sessions side
  by side, sessions whose time or room the source does not give shown apart);
- ``calendar``: the same programme as an iCalendar file (one VEVENT per session);
- ``neighbourhood``: an entity and the entities one step away, as an SVG drawn by Graphviz;
- ``ontology_diagram``: the classes and the properties between them, with their alignments;
- ``charts``: the ecosystem in figures, charts of the named queries drawn by pygal.

Every picture comes with a text equivalent (a list or a table) built from the same model.
The routes are in ``api/routes/pictures.py``.
"""
