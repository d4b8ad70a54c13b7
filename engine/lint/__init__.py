"""Checks of rule files, one module per check (``checks/``), the way pySigma's validators are.

The loader (``kbdoctor rules PATH``, ``evaluate``) runs the checks marked ``loader``: a rule file
that fails one of them is refused. ``kbdoctor rules lint`` runs every check and reports every
problem at once, with a severity, so that a support engineer fixes a file in one pass.
"""
