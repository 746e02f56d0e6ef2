# Adds one source's named graph to the data graph (the union every read function sees).
# Parameter: the source graph's IRI in place of <urn:goalgraph:source> (a minted IRI, never user text).
ADD SILENT <urn:goalgraph:source> TO <https://w3id.org/goalgraph/graph/data>
