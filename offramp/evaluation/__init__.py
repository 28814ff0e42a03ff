"""Evaluation engine: does the program work, and for whom?

Plain Python (numpy, polars, statsmodels); nothing here imports Django, so the
math can be tested and reused without a database. The entry point is
:func:`offramp.evaluation.report.run_study`.
"""
