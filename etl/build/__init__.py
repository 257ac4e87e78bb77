"""Layer 3, the dataset build: the stages load, cite, transform, check, package and publish,
and the pipeline that runs them in that order.

Imports etl.report, etl.tableschema and etl.text; no stage imports a later stage.
"""
