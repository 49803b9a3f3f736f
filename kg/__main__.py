"""``python -m kg`` runs the exokg command line."""

from kg.cli import main

main()
