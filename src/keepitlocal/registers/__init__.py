"""The national registers a council's analysis reads: charities (England and Wales, Scotland,
Northern Ireland), companies, grants and contracts, each read in its published format.

`store` keeps them: `keepitlocal registers load` reads a published file once into a DuckDB file
in the data folder, with its publication date, and every analysis matches against it
(`store.open_store().register()`). `companies_house` and `contracts_finder` stream their files.
"""
