"""Layer 5, what a person reads: tables, pages and figures.

``text`` renders tables and path listings, ``html`` offline interactive pages (drawn by
``svg``, laid out in columns by role by ``layers``, which the explorer's drawings share),
``pyvis`` pyvis Networks and their offline pages (an optional extra), ``plots`` figures.
They render what ``kg.query`` returns.
"""

__all__: list[str] = []
