"""The national registers a council's analysis reads: charities (England and Wales, Scotland,
Northern Ireland), companies, grants and contracts, each read in its published format."""
