"""What every reader must do with any material, shared by the never-raise property tests."""

from __future__ import annotations

from collections.abc import Iterable

from kbdoctor.collectors.importers.base import Material, Reader, ReadResult


def exercise(readers: Iterable[Reader], material: Material) -> list[tuple[Reader, ReadResult]]:
    """Sniff and read ``material`` with every reader; none may raise, every warning names the
    material's file and every fact carries its provenance."""
    results = []
    for reader in readers:
        reader.sniff(material)
        result = reader.read(material)
        assert all(w.file == material.path for w in result.warnings)
        assert all(f.provenance is not None for f in result.facts)
        results.append((reader, result))
    return results
