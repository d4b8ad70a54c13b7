"""Tests of rule packs written in YAML beside the rules (``kbdoctor: rules-test/1``), so that a
support engineer who writes a rule also writes what it must and must not conclude."""
