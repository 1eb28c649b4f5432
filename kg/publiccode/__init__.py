"""publiccode.yml: read and validate files like the reference validator, map them to the graph,
write them back from the graph, and generate synthetic corpora for benchmarks."""
