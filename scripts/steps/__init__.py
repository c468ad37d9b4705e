"""Shared code of the step scripts in scripts/ (see each script's --help)."""
