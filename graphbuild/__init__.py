"""graphbuild: privacy policies in, a knowledge graph of vendors and data flows out."""

__version__ = "0.1.0"
