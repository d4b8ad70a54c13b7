"""Parsing shared by several readers (PowerShell's Format-List and Export-Clixml, event records).

Kept out of :mod:`kbdoctor.collectors.importers`, whose every module is a reader the registry
discovers: nothing here recognises a format or reads facts on its own.
"""
