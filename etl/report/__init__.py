"""Layer 1, reports: findings, the finding catalogue, renderers and the project's exceptions.

Imports nothing else of etl; every other layer may import it.
"""
