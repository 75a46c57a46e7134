"""Participation data of Decidim and Consul instances: importers, shared row mapping and analyses.

Importers (open-data files) and collectors (live APIs) both build the row dataclasses of
:mod:`observatory.participation.records` and write them with :mod:`observatory.participation.load`,
so one table never has two mappings.
"""
