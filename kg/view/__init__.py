"""Layer 4, what a person reads: tables, pages and figures.

``text`` renders tables and path listings, ``html`` offline interactive pages, ``pyvis``
pyvis Networks and their offline pages (an optional extra), ``plots`` figures. They render
what ``kg.query`` returns.
"""
