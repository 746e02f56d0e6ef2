"""Where a goal graph lives beyond one process's memory: on disk, or on a SPARQL server."""
