"""Export: any Frictionless data package with Table Schemas loaded into a SQL database
(SQLite, DuckDB or PostgreSQL), with its types, keys, comments and declared views.

May import etl.report and etl.tableschema; nothing of the build or the CLI.
"""
