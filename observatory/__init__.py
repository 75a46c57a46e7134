"""Civic-Tech Observatory: sourced facts about open-source citizen-participation platforms."""

__version__ = "0.1.0"
__all__ = ["__version__"]
