"""``kg import bluehats-pages``: the code.gouv.fr pages about the BlueHats community as graphs.

- ``page``: one Markdown page with YAML front matter, parsed (pure);
- ``french_dates``: dates written out in French in a title or description;
- ``names``: exact (folded) names of the graph's entities found in a page's text;
- ``curated``: what the import needs of the curated records;
- ``rules``: the import list ``data/imports/bluehats-pages.yaml`` and its page rules;
- ``mapping``: page → quads of the page's named graph (pure);
- ``corpus``: read a folder and map every page.
"""
