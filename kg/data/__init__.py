"""Layer 1, the curated data: read ``triples/``, validate it (file:line), resolve names.

``model`` holds the frozen records, ``tsv`` the table reader, ``names`` the spelling
resolver, ``curation`` the loader and validator, ``hierarchy`` the parent links. Nothing here
imports the layers above.
"""

__all__: list[str] = []
