# Removes one source's named graph and, from the data graph, its triples no other source holds.
# Parameter: the source graph's IRI in place of <urn:goalgraph:source> (a minted IRI, never user text).
DELETE { GRAPH <https://w3id.org/goalgraph/graph/data> { ?s ?p ?o } }
WHERE {
  GRAPH <urn:goalgraph:source> { ?s ?p ?o }
  FILTER NOT EXISTS {
    GRAPH ?other { ?s ?p ?o }
    FILTER(?other != <urn:goalgraph:source>
           && STRSTARTS(STR(?other), "https://w3id.org/goalgraph/graph/source/"))
  }
} ;
DROP SILENT GRAPH <urn:goalgraph:source>
