"""ISECG Archive: ingest ISECG publications, index them with Whoosh, search them by facet."""

__version__ = "0.1.0"
