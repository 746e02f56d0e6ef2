"""Run the goalgraph command line: ``python -m goalgraph``."""

from goalgraph.cli import main

main()
