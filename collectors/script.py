"""The PowerShell script a customer runs where kbdoctor cannot reach the directory
(``kbdoctor collect --script``), and the layout of the files it writes.

Each step of the script runs the command one reader documents (``Reader.command`` in the reader
registry: one source of each command line) with the names of this incident filled in, and saves
its output where ``--import`` reads it best: one folder per machine, named after the machine the
script ran on (so that outputs that do not name their machine get it from the folder, as
:mod:`kbdoctor.collectors.importing` does), each file starting with the command line as a
PowerShell prompt (``PS kbdoctor> w32tm /stripchart /computer:DC01 ...``), from which readers take
what the output itself does not say (the DC a stripchart tracked, the SPN klist asked for).
:func:`layout` says where each output goes; the script builds the same names, and the tests
import a folder laid out by :func:`layout` to prove that the importer reads it.

The script targets Windows PowerShell 5.1 and the Exchange Management Shell: no ``&&``, every
file written with ``Out-File -Encoding UTF8`` (UTF-8 with a byte order mark there), native
commands given their arguments as an array (no re-parsing of names), every name a single-quoted
literal with its quotes doubled, Exchange cmdlets only where they exist, and a note (in
``kbdoctor-notes.yaml``, which the importer sets aside) for each step it cannot run. The result is
packed into one zip with Compress-Archive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kbdoctor.collectors.importers.registry import all_readers
from kbdoctor.collectors.script_texts import script_text
from kbdoctor.engine.facts import DomainController, ExchangeServer, Fact
from kbdoctor.engine.i18n import Lang

Scope = Literal["once", "domain", "dc", "exchange", "fqdn", "dc-port"]
Kind = Literal["native", "cmdlet"]

PROMPT = "PS kbdoctor> "  # the first line of every output file, before the command
NOTES_FILE = "kbdoctor-notes.yaml"  # set aside by the importer (material_kind: configuration)
TCP_PORTS = (88, 464, 389, 636, 3268, 53, 135, 445)
UDP_PORTS = (88,)  # Kerberos over UDP: portqry speaks it; Test-NetConnection cannot


@dataclass(frozen=True)
class Step:
    """One command of the script: the reader whose documented command it runs, which example
    words of that command are replaced by this incident's names (``{"DC01": "dc"}``), the file
    name (``{dc}`` and the like filled in), and what must exist for it to run."""

    reader: str
    scope: Scope
    file: str
    tokens: Mapping[str, str] = field(default_factory=dict)
    kind: Kind = "native"
    exchange: bool = False  # needs the Exchange cmdlets


STEPS: tuple[Step, ...] = (
    Step("w32tm-status", "once", "w32tm-status.txt"),
    Step("w32tm-monitor", "once", "w32tm-monitor.txt"),
    Step("w32tm-stripchart", "dc", "stripchart-{dc}.txt", {"DC01": "dc"}),
    Step("nltest-dsgetdc", "domain", "nltest-dsgetdc.txt", {"corp.example.com": "domain"}),
    Step("nltest-dclist", "domain", "nltest-dclist.txt", {"corp": "domain"}),
    Step("repadmin-showrepl-csv", "once", "repadmin-showrepl.csv"),
    Step("setspn-X", "once", "setspn-X-F.txt"),
    Step("setspn-L", "exchange", "setspn-L-{exchange}.txt", {"EX01": "exchange"}),
    Step("setspn-Q", "fqdn", "setspn-Q-{exchange}.txt", {"ex01.corp.example.com": "fqdn"}),
    Step("klist", "fqdn", "klist-get-{exchange}.txt", {"ex02.corp.example.com": "fqdn"}),
    Step(
        "portqry",
        "dc-port",
        "portqry-{dc}-{port}-{proto}.txt",
        {"DC01": "dc", "88": "port", "both": "proto"},
    ),
    Step(
        "test-netconnection",
        "dc-port",
        "tnc-{dc}-{port}.txt",
        {"DC01": "dc", "88": "port"},
        kind="cmdlet",
    ),
    Step("exchange-server", "once", "exchange-server.txt", kind="cmdlet", exchange=True),
    Step(
        "exchange-receive-connector",
        "once",
        "receive-connectors.txt",
        kind="cmdlet",
        exchange=True,
    ),
    Step("exchange-queue", "once", "queues.txt", kind="cmdlet", exchange=True),
    Step("eventlog-list", "once", "event-1035.txt", kind="cmdlet"),
)

# The PowerShell expression of each placeholder inside the script's loops.
_VARIABLES = {
    "dc": "$dc",
    "domain": "$Domain",
    "exchange": "$ex.Name",
    "fqdn": "$ex.Fqdn",
    "port": "$port",
    "proto": "$proto",
}
# in file names: the same, made safe by the script's Get-KbdSafeName (see safe_file_part)
_VARIABLES.update({f"safe_{name}": f"$safe_{name}" for name in _VARIABLES})


# --- the names kbdoctor knows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    name: str
    fqdn: str | None = None


@dataclass(frozen=True)
class Known:
    """The names the script starts from; the ones missing are looked up where it runs."""

    domain: str | None = None
    dcs: tuple[str, ...] = ()
    exchange: tuple[Server, ...] = ()


def known_names(
    domain: str | None, dcs: Iterable[str], exchange: Iterable[str], facts: Sequence[Fact] = ()
) -> Known:
    """Options first, then the domain controllers and Exchange servers of ``facts``; each name
    once (compared without regard to case), an Exchange server's FQDN from the facts or, for a
    short name, from the domain."""
    domain = domain.strip().rstrip(".") if domain else None
    dc_names = _unique(
        [*dcs, *(f.fqdn or f.name for f in facts if isinstance(f, DomainController))]
    )
    fqdns: dict[str, str | None] = {}
    for name in exchange:
        fqdns.setdefault(name.lower(), None)
    names = {name.lower(): name for name in exchange}
    for fact in facts:
        if isinstance(fact, ExchangeServer):
            key = fact.name.lower()
            names.setdefault(key, fact.name)
            if fact.fqdn and not fqdns.get(key):
                fqdns[key] = fact.fqdn
    servers = []
    for key, name in names.items():
        fqdn = fqdns.get(key)
        if fqdn is None and "." in name:
            name, fqdn = name.split(".", 1)[0], name
        elif fqdn is None and domain:
            fqdn = f"{name}.{domain}".lower()
        servers.append(Server(name, fqdn))
    if domain is None:
        suffixes = {s.fqdn.split(".", 1)[1] for s in servers if s.fqdn and "." in s.fqdn}
        domain = suffixes.pop() if len(suffixes) == 1 else None
    return Known(domain, tuple(dc_names), tuple(_unique_servers(servers)))


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        if name.strip():
            seen.setdefault(name.strip().lower(), name.strip())
    return list(seen.values())


def _unique_servers(servers: Iterable[Server]) -> list[Server]:
    seen: dict[str, Server] = {}
    for server in servers:
        seen.setdefault(server.name.lower(), server)
    return list(seen.values())


def bad_name(name: str) -> bool:
    """A name the script will not carry: quotes (native commands in PowerShell 5.1 pass them on
    mangled) or control characters. Apostrophes are fine: they are doubled."""
    return any(ord(c) < 32 or c in '"\u201c\u201d\u201e`' for c in name)


# --- commands from the reader registry -----------------------------------------------------------


def reader_command(reader: str) -> str:
    """The command a reader documents, without its ``> file`` redirection."""
    for candidate in all_readers():
        if candidate.name == reader:
            return re.sub(r"\s+>\s*\S+\s*$", "", candidate.command).strip()
    raise KeyError(f"no reader named {reader}")


def command_words(step: Step) -> list[str]:
    """The step's command as words, each example word of the reader's command replaced by its
    placeholder (``/computer:{dc}``). Every token must occur: a reader whose documented command
    changed shape fails here (and in the tests), not in a customer's script."""
    words = reader_command(step.reader).split()
    for token, placeholder in step.tokens.items():
        pattern = re.compile(rf"(?<![\w.]){re.escape(token)}(?![\w.])")
        if not any(pattern.search(word) for word in words):
            raise ValueError(f"{step.reader}: {token!r} is not in {reader_command(step.reader)!r}")
        words = [pattern.sub("{" + placeholder + "}", word) for word in words]
    return words


def filled(step: Step, values: Mapping[str, str]) -> str:
    """The command line as the output file's prompt shows it, with the names filled in."""
    return " ".join(_fill(word, values) for word in command_words(step))


def _fill(template: str, values: Mapping[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


# --- the layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One output file as the script writes it: its path under the zip's root (``MACHINE/FILE``),
    the reader that reads it, and the command line on its first line."""

    path: str
    reader: str
    command: str


def safe_file_part(name: str) -> str:
    """A name as part of a file name: characters Windows refuses in names become ``_`` (the
    script's Get-KbdSafeName does the same)."""
    return re.sub(r'[\\/:*?"<>|\s]', "_", name)


def layout(known: Known, machine: str, *, portqry: bool = True) -> list[Planned]:
    """Every file the script writes when run on ``machine`` with these names, portqry installed
    or not, and every program and the Exchange cmdlets present."""
    out: list[Planned] = []
    for step in STEPS:
        if step.reader == "portqry" and not portqry:
            continue
        for values in _combinations(step, known, portqry=portqry):
            file_values = {k: safe_file_part(v) for k, v in values.items()}
            name = _fill(step.file, file_values)
            out.append(Planned(f"{machine}/{name}", step.reader, filled(step, values)))
    return out


def _combinations(step: Step, known: Known, *, portqry: bool) -> list[dict[str, str]]:
    if step.scope == "once":
        return [{}]
    if step.scope == "domain":
        return [{"domain": known.domain}] if known.domain else []
    if step.scope == "dc":
        return [{"dc": dc} for dc in known.dcs]
    if step.scope == "exchange":
        return [{"exchange": s.name} for s in known.exchange]
    if step.scope == "fqdn":
        return [{"exchange": s.name, "fqdn": s.fqdn} for s in known.exchange if s.fqdn]
    ports = _ports(step, portqry=portqry)
    return [{"dc": dc, "port": str(p), "proto": proto} for dc in known.dcs for p, proto in ports]


def _ports(step: Step, *, portqry: bool) -> list[tuple[int, str]]:
    if step.reader == "portqry":
        return [*((p, "tcp") for p in TCP_PORTS), *((p, "udp") for p in UDP_PORTS)]
    return [] if portqry else [(p, "tcp") for p in TCP_PORTS]


# --- PowerShell ----------------------------------------------------------------------------------


def ps_quote(text: str) -> str:
    """A single-quoted PowerShell literal: nothing inside is expanded; each quote character
    (PowerShell takes the typographic ones for quotes too) is doubled."""
    return "'" + re.sub("(['\u2018\u2019\u201a\u201b])", r"\1\1", text) + "'"


def _ps_expandable(template: str) -> str:
    """A double-quoted PowerShell string of ``template``, its placeholders as ``$(...)``."""
    parts = re.split(r"(\{\w+\})", template)
    out = []
    for part in parts:
        match = re.fullmatch(r"\{(\w+)\}", part)
        if match:
            out.append(f"$({_VARIABLES[match.group(1)]})")
        else:
            out.append(re.sub(r'([`$"\u201c\u201d\u201e])', r"`\1", part))
    return '"' + "".join(out) + '"'


def _ps_word(template: str) -> str:
    """One word of a command as a PowerShell expression: a literal, or a concatenation with the
    loop's variables (never re-parsed, so a name cannot become code)."""
    parts = [p for p in re.split(r"(\{\w+\})", template) if p]
    pieces = []
    for part in parts:
        match = re.fullmatch(r"\{(\w+)\}", part)
        pieces.append(_VARIABLES[match.group(1)] if match else ps_quote(part))
    if len(pieces) == 1 and not pieces[0].startswith("$"):
        return pieces[0]
    return "(" + " + ".join(["''", *pieces] if pieces[0].startswith("$") else pieces) + ")"


def _step_call(step: Step) -> str:
    """The call of Save-KbdNative or Save-KbdCmdlet that runs one step."""
    words = command_words(step)
    file_expr = _ps_word(step.file.replace("{", "{safe_"))
    display = _ps_expandable(" ".join(words))
    if step.kind == "native":
        arguments = ", ".join(_ps_word(w) for w in words[1:])
        return (
            f"Save-KbdNative -File {file_expr} -Command {display} "
            f"-Program {ps_quote(words[0])} -Arguments @({arguments})"
        )
    block = " ".join(re.sub(r"\{(\w+)\}", lambda m: _VARIABLES[m.group(1)], word) for word in words)
    return f"Save-KbdCmdlet -File {file_expr} -Command {display} -Run {{ {block} }}"


def _loop(step: Step, body: str, lang: Lang) -> list[str]:
    """The step's call inside the loops its scope needs, with a note where nothing is known."""

    def note(key: str) -> str:
        return f"Add-KbdNote -File {ps_quote(step.file)} -Text {ps_quote(script_text(key, lang))}"

    if step.scope == "once":
        return [body]
    if step.scope == "domain":
        return [f"if ($Domain) {{ {body} }} else {{ {note('note_no_domain')} }}"]
    if step.scope == "dc":
        return [
            f"if (-not $DomainControllers) {{ {note('note_no_dcs')} }}",
            "foreach ($dc in $DomainControllers) {",
            "    $safe_dc = Get-KbdSafeName $dc",
            f"    {body}",
            "}",
        ]
    if step.scope in ("exchange", "fqdn"):
        lines = [
            f"if (-not $ExchangeServers) {{ {note('note_no_exchange_servers')} }}",
            "foreach ($ex in $ExchangeServers) {",
            "    $safe_exchange = Get-KbdSafeName $ex.Name",
        ]
        if step.scope == "fqdn":
            lines += [
                f"    if (-not $ex.Fqdn) {{ {note('note_no_fqdn')}; continue }}",
                "    $safe_fqdn = Get-KbdSafeName $ex.Fqdn",
            ]
        return [*lines, f"    {body}", "}"]
    if step.reader == "portqry":
        ports = [f"@({p}, 'tcp')" for p in TCP_PORTS] + [f"@({p}, 'udp')" for p in UDP_PORTS]
        guard = "if ($HavePortqry) {"
        skip = f"}} else {{ {note('note_udp_needs_portqry')} }}"
    else:
        ports = [f"@({p}, 'tcp')" for p in TCP_PORTS]
        guard, skip = "if (-not $HavePortqry) {", "}"
    return [
        guard,
        f"    if (-not $DomainControllers) {{ {note('note_no_dcs')} }}",
        "    foreach ($dc in $DomainControllers) {",
        "        $safe_dc = Get-KbdSafeName $dc",
        f"        foreach ($pair in @({', '.join(ports)})) {{",
        "            $port = [string]$pair[0]; $proto = $pair[1]",
        "            $safe_port = $port; $safe_proto = $proto",
        f"            {body}",
        "        }",
        "    }",
        skip,
    ]


def _comment(text: str) -> str:
    return "# " + text


_PRELUDE = r"""
$ErrorActionPreference = 'Continue'
Set-StrictMode -Off
$Machine = $env:COMPUTERNAME
$Stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
$Root = Join-Path (Get-Location).Path ('kbdoctor-' + $Machine + '-' + $Stamp)
$Folder = Join-Path $Root $Machine
New-Item -ItemType Directory -Force -Path $Folder | Out-Null

function Get-KbdSafeName([string]$Name) {
    return ($Name -replace '[\\/:*?"<>|\s]', '_')
}

function Add-KbdNote([string]$File, [string]$Text) {
    $quoted = @($File, $Text) | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" }
    $line = '- {file: ' + $quoted[0] + ', note: ' + $quoted[1] + '}'
    $line | Out-File -FilePath (Join-Path $Folder 'kbdoctor-notes.yaml') -Encoding UTF8 -Append
}

function Test-KbdProgram([string]$Name) {
    return [bool](Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue)
}

function Save-KbdNative([string]$File, [string]$Command, [string]$Program, [object[]]$Arguments) {
    if (-not (Test-KbdProgram $Program)) {
        Add-KbdNote $File (@@MISSING@@ -f $Program)
        return
    }
    Write-Host (@@PROGRESS@@ + ' ' + $Command)
    $path = Join-Path $Folder $File
    ('PS kbdoctor> ' + $Command) | Out-File -FilePath $path -Encoding UTF8 -Width 4096
    try {
        & $Program @Arguments 2>&1 | ForEach-Object { "$_" } |
            Out-File -FilePath $path -Encoding UTF8 -Width 4096 -Append
    } catch {
        Add-KbdNote $File (@@FAILED@@ -f $_.Exception.Message)
    }
}

function Save-KbdCmdlet([string]$File, [string]$Command, [scriptblock]$Run) {
    Write-Host (@@PROGRESS@@ + ' ' + $Command)
    $path = Join-Path $Folder $File
    $ErrorActionPreference = 'Stop'  # this function's scope: a failing cmdlet is a note
    try {
        $output = & $Run 3>&1 | Out-String -Width 4096
        ('PS kbdoctor> ' + $Command) | Out-File -FilePath $path -Encoding UTF8 -Width 4096
        $output | Out-File -FilePath $path -Encoding UTF8 -Width 4096 -Append
    } catch {
        Add-KbdNote $File (@@FAILED@@ -f $_.Exception.Message)
    }
}
"""

_DISCOVERY = r"""
if (-not $Domain) { $Domain = $env:USERDNSDOMAIN }
if (-not $DomainControllers) {
    try {
        $current = [System.DirectoryServices.ActiveDirectory.Domain]::GetCurrentDomain()
        $DomainControllers = @($current.DomainControllers | ForEach-Object { $_.Name })
    } catch {
        $DomainControllers = @()
    }
}
$HaveExchange = [bool](Get-Command Get-ExchangeServer -ErrorAction SilentlyContinue)
if (-not $HaveExchange) {
    try {
        Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn -ErrorAction Stop
        $HaveExchange = $true
    } catch {
        $HaveExchange = $false
    }
}
if (-not $ExchangeServers -and $HaveExchange) {
    $ExchangeServers = @(Get-ExchangeServer | ForEach-Object {
        @{ Name = [string]$_.Name; Fqdn = [string]$_.Fqdn }
    })
}
foreach ($ex in $ExchangeServers) {
    if (-not $ex.Fqdn) {
        try { $ex.Fqdn = [System.Net.Dns]::GetHostEntry($ex.Name).HostName } catch { }
    }
}
$HavePortqry = Test-KbdProgram 'portqry'
"""

_EPILOGUE = r"""
$Zip = $Root + '.zip'
Compress-Archive -Path (Join-Path $Root '*') -DestinationPath $Zip -Force
Write-Host @@DONE@@
Write-Host $Zip
"""


def render_script(known: Known, lang: Lang) -> str:
    """The script, in ``lang`` for its comments and notes: UTF-8 text starting with a byte order
    mark, CRLF line ends (Windows)."""
    lines = [
        _comment(script_text("title", lang)),
        _comment(script_text("how_to_run", lang)),
        _comment(script_text("changes_nothing", lang)),
        _comment(script_text("send_back", lang)),
        "#Requires -Version 5.1",
        "",
        _comment(script_text("names_known", lang)),
        f"$Domain = {ps_quote(known.domain) if known.domain else '$null'}",
        "$DomainControllers = @(" + ", ".join(ps_quote(dc) for dc in known.dcs) + ")",
        "$ExchangeServers = @(",
        *(
            f"    @{{ Name = {ps_quote(s.name)}; Fqdn = "
            f"{ps_quote(s.fqdn) if s.fqdn else '$null'} }}"
            for s in known.exchange
        ),
        ")",
        _comment(script_text("names_found", lang)),
    ]
    prelude = (
        _PRELUDE.replace(
            "@@MISSING@@", ps_quote(script_text("note_missing_program", lang, program="{0}"))
        )
        .replace("@@FAILED@@", ps_quote(script_text("note_failed", lang, error="{0}")))
        .replace("@@PROGRESS@@", ps_quote(script_text("progress", lang)))
    )
    lines += prelude.strip("\n").splitlines()
    lines += _DISCOVERY.rstrip("\n").splitlines()
    for step in STEPS:
        lines.append("")
        lines.append(_comment(f"{step.reader}: {reader_command(step.reader)}"))
        body = _step_call(step)
        if step.exchange:
            note = ps_quote(script_text("note_no_exchange", lang))
            skip = f"Add-KbdNote {ps_quote(step.file)} {note}"
            body = f"if ($HaveExchange) {{ {body} }} else {{ {skip} }}"
        lines += _loop(step, body, lang)
    lines += _EPILOGUE.replace("@@DONE@@", ps_quote(script_text("done", lang))).splitlines()
    # a byte order mark: Windows PowerShell 5.1 reads a script without one as ANSI, which would
    # garble every Polish letter of the comments and notes
    return "\ufeff" + "\r\n".join(lines).rstrip() + "\r\n"
