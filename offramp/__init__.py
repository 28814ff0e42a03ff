"""offramp: software that runs a Law Enforcement Assisted Diversion (LEAD) program."""

__version__ = "0.1.0"
