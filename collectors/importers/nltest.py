"""``nltest /dsgetdc:corp.example.com`` and ``nltest /dclist:corp``: the domain controllers of a
domain, which of them is the PDC emulator, and their sites.

``/dsgetdc:`` prints one domain controller, the one the DC locator found::

               DC: \\\\DC01.corp.example.com
          Address: \\\\10.0.0.10
         Dom Guid: 3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
         Dom Name: corp.example.com
      Forest Name: corp.example.com
     Dc Site Name: Default-First-Site-Name
    Our Site Name: Default-First-Site-Name
            Flags: PDC GC DS LDAP KDC TIMESERV WRITABLE DNS_DC DNS_DOMAIN DNS_FOREST CLOSE_SITE
    The command completed successfully

``/dclist:`` prints every domain controller of the domain, one a line::

    Get list of DCs in domain 'corp' from '\\\\DC01.corp.example.com'.
        DC01.corp.example.com [PDC]  [DS] Site: Default-First-Site-Name
        DC02.corp.example.com        [DS] Site: Branch
    The command completed successfully

The labels are localised on Windows in other languages; the ``\\\\`` before names and addresses,
the GUID, the flag words (``PDC``, ``KDC``, ``[PDC]``, ``[DS]``) and the layout are not, and those
are what is read. The site of ``/dsgetdc:`` is taken by its English label, or by its place in the
block (the sixth line, after the GUID, domain and forest lines) when the block has the full
layout. ``pdc`` is true for a DC flagged ``PDC``/``[PDC]``; false for the others of a list that
flags one, or for a ``/dsgetdc:`` whose flags are listed without ``PDC``; otherwise unknown.

facts/1 has no field for the ``KDC`` flag; a DC found without it is reported in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.localized import Language, lowered
from kbdoctor.collectors.segments import command_of
from kbdoctor.engine.facts import DomainController

_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]{0,62}(?:\.[A-Za-z0-9_-]{1,63})*"
_GUID = re.compile(r"^\{?[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}?$")
_LABELLED = re.compile(r"^\s{0,24}(?P<label>[^\s:][^:]{0,40}?)\s?:\s*(?P<value>.*?)\s*$")
_UNC_NAME = re.compile(rf"^\\\\(?P<name>{_NAME})\.?$")
_UNC_ADDRESS = re.compile(
    r"^\\\\(?P<address>\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.%]+)$"
)
_KNOWN_FLAGS = frozenset(
    [
        "PDC",
        "GC",
        "DS",
        "LDAP",
        "KDC",
        "TIMESERV",
        "GTIMESERV",
        "GOOD_TIMESERV",
        "WRITABLE",
        "DNS_DC",
        "DNS_DOMAIN",
        "DNS_FOREST",
        "CLOSE_SITE",
        "FULL_SECRET",
        "WS",
        "DS_8",
        "DS_9",
        "DS_10",
        "KEYLIST",
        "NDNC",
        "SELECT_SECRET_DOMAIN_6",
        "FULL_SECRET_DOMAIN_6",
        "ADS_WEB_SERVICE",
    ]
)
# flag names, and the hex of the bits nltest has no name for (``WS 0xC000``)
_FLAG_WORD = re.compile(r"^(?:[A-Z][A-Z0-9_]*|0x[0-9A-Fa-f]+)$")


@dataclass(frozen=True)
class NltestLabels:
    """The one label of nltest's output the readers look for; the rest is read by structure
    (``\\\\`` names and addresses, the GUID, the flag words, the place of each line)."""

    # the label of the DC's site in ``/dsgetdc:`` (else the sixth line of a full block)
    site: tuple[str, ...]


LABELS: Mapping[str, Language[NltestLabels]] = {
    # en: real captures (the "# source:" line of each file)
    "en": Language(
        NltestLabels(site=("Dc Site Name",)),
        sources=(
            "tests/data/importers/real/nltest/dsgetdc_contoso_short_name_en.txt",
            "tests/data/importers/real/nltest/dsgetdc_spi_lab_doc_en.txt",
        ),
    ),
}
# No capture of nltest in another display language was found: no other language is listed, and
# there the site comes from its place in the block.

_SITE_LABELS = lowered(LABELS, "site")
_ERROR = re.compile(r"\bStatus\s*=\s*\d+\s+0x[0-9a-f]+\b|\bERROR_[A-Z_]+\b", re.IGNORECASE)

_DCLIST_LINE = re.compile(
    rf"^\s+(?:\\\\)?(?P<name>{_NAME})\.?(?P<flags>(?:\s+\[[A-Z_]+\])*)"
    r"(?:\s+(?P<label>[^\W\d_][^:\[\]]{0,30}?)\s?:\s*(?P<site>\S.*?))?\s*$"
)
_DCLIST_FLAGS = re.compile(r"\[(?P<flag>[A-Z_]+)\]")


def _is_dc_value(value: str) -> bool:
    return _UNC_NAME.match(value) is not None and _UNC_ADDRESS.match(value) is None


def _flags(value: str) -> frozenset[str] | None:
    """The flag words of a ``Flags:`` value, None when the value is not such a list."""
    words = value.split()
    if not words or not all(_FLAG_WORD.match(w) for w in words):
        return None
    if sum(w in _KNOWN_FLAGS for w in words) < 2:
        return None
    return frozenset(words)


def _split(name: str) -> tuple[str, str | None]:
    """Name and FQDN of a DC as nltest prints it (``DC01.corp.example.com`` or ``DC01``)."""
    name = name.rstrip(".")
    if "." in name and not name.replace(".", "").isdigit():
        return name.split(".", 1)[0], name
    return name, None


@dataclass
class _Field:
    index: int
    label: str
    value: str


class DsGetDcReader(ReaderBase):
    """``nltest /dsgetdc:DOMAIN``: the DC found, its site and whether it is the PDC emulator.

    Sample input::

                   DC: \\\\DC01.corp.example.com
              Address: \\\\10.0.0.10
             Dom Guid: 3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
             Dom Name: corp.example.com
          Forest Name: corp.example.com
         Dc Site Name: Default-First-Site-Name
        Our Site Name: Default-First-Site-Name
                Flags: PDC GC DS LDAP KDC TIMESERV WRITABLE DNS_DC DNS_DOMAIN DNS_FOREST
        The command completed successfully

    gives ``domain_controller`` DC01 (dc01.corp.example.com, site Default-First-Site-Name,
    pdc true).

    Facts: domain_controller
    """

    program = "nltest"
    name = "nltest-dsgetdc"
    command = "nltest /dsgetdc:corp.example.com > dsgetdc.txt"

    def _sniff(self, material: Material) -> bool:
        if self.has_switch(self.typed_command(material), "dsgetdc"):
            return True
        unc = flags = False
        for line in material.lines()[:4000]:
            match = _LABELLED.match(line)
            if match is None:
                continue
            value = match.group("value")
            unc = unc or _is_dc_value(value)
            flags = flags or _flags(value) is not None
            if unc and flags:
                return True
        return False

    def _read(self, material: Material, result: ReadResult) -> None:
        lines = material.lines()
        command = command_of(material)
        blocks: list[list[_Field]] = []
        for index, line in enumerate(lines):
            if _ERROR.search(line):
                result.warnings.append(
                    warning(material, index, "nltest.failed", text=line.strip()[:100])
                )
                continue
            match = _LABELLED.match(line)
            if match is None:
                continue
            field = _Field(index, match.group("label").strip(), match.group("value"))
            if _is_dc_value(field.value):
                blocks.append([])  # every block starts with the DC's \\name
            if blocks:
                blocks[-1].append(field)
        for block in blocks:
            self._block(material, command, block, result)

    def _block(
        self, material: Material, command: str | None, block: list[_Field], result: ReadResult
    ) -> None:
        dc = _UNC_NAME.match(block[0].value)
        if dc is None:
            result.warnings.append(
                warning(material, block[0].index, "nltest.bad_dc", text=block[0].value[:80])
            )
            return
        name, fqdn = _split(dc.group("name"))
        flags: frozenset[str] | None = None
        site: str | None = None
        for field in block:
            found = _flags(field.value)
            if found is not None:
                flags = found
            if field.label.lower() in _SITE_LABELS and field.value:
                site = field.value
        if site is None and self._full_layout(block):
            site = block[5].value or None
        last = block[-1].index
        result.facts.append(
            DomainController(
                name=name,
                fqdn=fqdn,
                site=site,
                pdc=None if flags is None else "PDC" in flags,
                provenance=source_for(self, material, block[0].index, last, command=command),
            )
        )
        if flags is not None and "KDC" not in flags:
            result.warnings.append(
                warning(
                    material,
                    block[0].index,
                    "nltest.kdc_not_kept",
                    dc=name,
                    flags=" ".join(sorted(flags)),
                )
            )

    @staticmethod
    def _full_layout(block: list[_Field]) -> bool:
        """DC, address, GUID, domain, forest, DC site, our site, flags: the layout of every
        Windows since 2000, whatever the labels say."""
        return (
            len(block) >= 8
            and _UNC_ADDRESS.match(block[1].value) is not None
            and _GUID.match(block[2].value) is not None
            and _flags(block[7].value) is not None
            and " " not in block[5].value
        )


class DcListReader(ReaderBase):
    """``nltest /dclist:DOMAIN``: every DC of the domain, the PDC flagged ``[PDC]``.

    Sample input::

        Get list of DCs in domain 'corp' from '\\\\DC01.corp.example.com'.
            DC01.corp.example.com [PDC]  [DS] Site: Default-First-Site-Name
            DC02.corp.example.com        [DS] Site: Branch
        The command completed successfully

    gives ``domain_controller`` DC01 (pdc true, site Default-First-Site-Name) and DC02 (pdc
    false, site Branch).

    Facts: domain_controller
    """

    program = "nltest"
    name = "nltest-dclist"
    command = "nltest /dclist:corp > dclist.txt"

    def _sniff(self, material: Material) -> bool:
        if self.has_switch(self.typed_command(material), "dclist"):
            return True
        for line in material.lines()[:4000]:
            match = _DCLIST_LINE.match(line)
            if match and match.group("flags") and "[DS]" in match.group("flags"):
                return True
        return False

    def _read(self, material: Material, result: ReadResult) -> None:
        command = command_of(material)
        found: list[tuple[int, re.Match[str], frozenset[str]]] = []
        for index, line in enumerate(material.lines()):
            if not line.strip():
                continue
            if _ERROR.search(line):
                result.warnings.append(
                    warning(material, index, "nltest.failed", text=line.strip()[:100])
                )
                continue
            if not line[:1].isspace():
                continue  # the heading and the closing line, localised
            match = _DCLIST_LINE.match(line)
            if match is None or not (match.group("flags") or match.group("site")):
                result.warnings.append(
                    warning(material, index, "nltest.not_dclist_line", text=line.strip()[:80])
                )
                continue
            flags = frozenset(m.group("flag") for m in _DCLIST_FLAGS.finditer(match.group("flags")))
            if "DS" not in flags and not match.group("site"):
                # "AzureADKerberos [RODC]": Azure AD's Kerberos object, listed as an RODC
                # without [DS] or a site; no domain controller Exchange authenticates against
                result.warnings.append(
                    warning(material, index, "nltest.not_a_dc", name=match.group("name"))
                )
                continue
            found.append((index, match, flags))
        any_pdc = any("PDC" in flags for _, _, flags in found)
        for index, match, flags in found:
            name, fqdn = _split(match.group("name"))
            result.facts.append(
                DomainController(
                    name=name,
                    fqdn=fqdn,
                    site=match.group("site") or None,
                    pdc=True if "PDC" in flags else (False if any_pdc else None),
                    provenance=source_for(self, material, index, command=command),
                )
            )


READERS = (DsGetDcReader(), DcListReader())
