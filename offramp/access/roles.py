"""Roles are defined with the programs' staff (`offramp.programs.roles`); this name stays for callers."""

from offramp.programs.roles import Role

__all__ = ["Role"]
