"""Layer 2, the Frictionless validator: descriptors, streamed CSV and Parquet reading, the
Table Schema to pandera.polars mapping, table, key and cross-resource checks; returns a report.

Imports only etl.report. `etl.tableschema.engine.validate_package` is the entry point.
"""
