"""bluehats-kg: build the BlueHats knowledge graph from curated YAML into an Oxigraph store."""

__version__ = "0.1.0"
