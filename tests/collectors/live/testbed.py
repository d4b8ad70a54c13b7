"""A real Active Directory DC (Samba) and an NTP server (chrony) in a network namespace, for
the live collectors' tests (docs/contributing.md, "Live tests", says what each step needs).

Every daemon starts with a known PID in its own session and is stopped by that PID and its
process group; samba also gets ``--maximum-runtime``; the namespace is deleted at the end. The DC
listens on 127.0.0.11 inside the namespace, chrony on 127.0.0.11:123 (the DC's address, where
SNTP clients look for time). A clock made wrong on purpose runs the daemon under libfaketime
(``LD_PRELOAD``, and ``LDB_MODULES_DISABLE_DEEPBIND=1`` for samba, or only its KDC is skewed).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import string
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

REALM = "CORP.EXAMPLE.TEST"
DOMAIN = "corp.example.test"
NETBIOS = "CORP"
BASE_DN = "DC=corp,DC=example,DC=test"
DC_NAME = "dc1"
DC_FQDN = f"{DC_NAME}.{DOMAIN}"
DC_IP = "127.0.0.11"
ADMIN = "Administrator"
# A throwaway password for a directory that lives for one test session in a private namespace.
ADMIN_PASSWORD = "Kbd0ctor-Test-Only-7!"
MACHINE_PASSWORD = "Kbd0ctor-Machine-Only-9!"
CONFIG_DN = f"CN=Configuration,{BASE_DN}"
SITE = "Default-First-Site-Name"
EXCHANGE_ORG = "Kbdoctor Test Org"
# Where Exchange 2013 and later keep their servers (the administrative group's fixed name).
EXCHANGE_SERVERS_DN = (
    "CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,"
    f"CN={EXCHANGE_ORG},CN=Microsoft Exchange,CN=Services,{CONFIG_DN}"
)
EXCHANGE_SCHEMA = Path(__file__).with_name("exchange_schema.ldif")
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
PACKAGES = {
    "samba": "samba",
    "samba-tool": "samba-common-bin",
    "chronyd": "chrony",
    "ip": "iproute2",
    "ldbmodify": "ldb-tools",
}


def missing_requirements() -> str | None:
    """Why the test bed cannot run here (not root, a program or libfaketime missing), or None."""
    if os.geteuid() != 0:
        return "the live test bed needs root (network namespaces, samba, chrony)"
    absent = [f"{prog} ({pkg})" for prog, pkg in PACKAGES.items() if shutil.which(prog) is None]
    if not Path(FAKETIME_LIB).exists():
        absent.append(f"{FAKETIME_LIB} (faketime)")
    if absent:
        return "Debian packages missing: " + ", ".join(absent)
    return None


class Testbed:
    __test__ = False  # not a test class, whatever pytest makes of the name

    def __init__(self, base: Path, namespace: str, *, name: str = DC_NAME, ip: str = DC_IP) -> None:
        self.base = base
        self.ns = namespace
        self.name = name
        self.ip = ip
        self.fqdn = f"{name}.{DOMAIN}"
        self.dir = base / name
        self.conf = self.dir / "etc" / "smb.conf"
        self.samba: subprocess.Popen[bytes] | None = None
        self.chrony: subprocess.Popen[bytes] | None = None
        self.samba_mode: tuple[str | None, bool] | None = None
        self.chrony_mode: str | bool | None = False  # False: not running

    # --- namespace and commands -------------------------------------------------------------
    def run(self, argv: Sequence[str], *, check: bool = True, timeout: float = 60) -> str:
        done = subprocess.run(
            ["ip", "netns", "exec", self.ns, *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done.stdout

    def create_namespace(self) -> None:
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        subprocess.run(["ip", "-n", self.ns, "link", "set", "lo", "up"], check=True)
        self.add_address()

    def add_address(self) -> None:
        """This DC's address on the namespace's loopback device (a second DC shares the
        namespace of the first, at an address of its own)."""
        subprocess.run(
            ["ip", "-n", self.ns, "addr", "add", f"{self.ip}/8", "dev", "lo"], check=True
        )

    def add_black_hole(self, cidr: str) -> None:
        """Route ``cidr`` to the loopback device, where nothing answers for it: what is sent
        there vanishes, as behind a firewall that drops packets (a filtered port, a dead DC)."""
        subprocess.run(["ip", "-n", self.ns, "route", "add", cidr, "dev", "lo"], check=True)

    def _options(self) -> dict[str, str]:
        """smb.conf settings that keep everything this DC writes under its own folder."""
        return {
            "interfaces": self.ip,
            "bind interfaces only": "yes",
            "dns forwarder": "none",
            "pid directory": str(self.dir / "run"),
            "ncalrpc dir": str(self.dir / "run" / "ncalrpc"),
            "winbindd socket directory": str(self.dir / "run" / "winbindd"),
            "ntp signd socket directory": str(self.dir / "run" / "ntp_signd"),
            "log file": str(self.dir / "log.samba"),
            "load printers": "no",
            "printcap name": "/dev/null",
            "disable spoolss": "yes",
            "prefork children": "1",
            # A Kerberos (GSSAPI) bind inside TLS with no SASL security layer, as kbdoctor makes
            # it without --user: Samba 4.17's default (yes) refuses it ("Sign or Seal are
            # required") and refuses signing or sealing inside TLS too; this accepts it. Simple
            # binds still need TLS.
            "ldap server require strong auth": "allow_sasl_over_tls",
        }

    def provision(self) -> None:
        argv = [
            "samba-tool",
            "domain",
            "provision",
            f"--targetdir={self.dir}",
            f"--realm={REALM}",
            f"--domain={NETBIOS}",
            "--server-role=dc",
            "--dns-backend=SAMBA_INTERNAL",
            f"--adminpass={ADMIN_PASSWORD}",
            f"--host-name={self.name}",
            f"--host-ip={self.ip}",
            *[f"--option={k} = {v}" for k, v in self._options().items()],
        ]
        self.run(argv, timeout=120)

    def join(self, first: Testbed) -> None:
        """Join this DC to ``first``'s domain (both in one namespace, each at its address) and
        replicate every partition both ways once. ``ip netns exec`` lays the files of
        /etc/netns/<namespace>/ over /etc, so the join finds dc1 by name and DNS at dc1 without
        touching the host's /etc/hosts and /etc/resolv.conf."""
        private = Path("/etc/netns") / self.ns
        private.mkdir(parents=True, exist_ok=True)
        (private / "hosts").write_text(
            f"127.0.0.1 localhost\n{first.ip} {first.fqdn} {first.name}\n"
            f"{self.ip} {self.fqdn} {self.name}\n"
        )
        (private / "resolv.conf").write_text(f"nameserver {first.ip}\nsearch {DOMAIN}\n")
        first.stop_samba()  # it must resolve its partner's <guid>._msdcs name through dc1's DNS
        first.start_samba()
        argv = [
            "samba-tool", "domain", "join", DOMAIN, "DC",
            f"--server={first.fqdn}", f"--targetdir={self.dir}",
            f"-U{ADMIN}%{ADMIN_PASSWORD}", f"--realm={REALM}",
            f"--option=netbios name = {self.name.upper()}",
            *[f"--option={k} = {v}" for k, v in self._options().items()],
        ]  # fmt: skip
        self.run(argv, timeout=180)
        self.start_samba()
        self.run(
            ["samba_dnsupdate", f"--current-ip={self.ip}", f"--rpc-server-ip={first.ip}",
             "--use-samba-tool", "--all-names", "-s", str(self.conf)],
            check=False, timeout=120,
        )  # fmt: skip
        for dc in (first, self):  # the KCC makes the inbound connections (repsFrom) now
            dc.run_kcc()
        self.replicate_all(first)
        first.replicate_all(self)

    def run_kcc(self, limit: float = 300) -> None:
        """Run this DC's KCC now (``samba-tool drs kcc``). Right after samba opens its ports its
        KCC service may not answer yet ("Device Timeout", "The operation cannot be performed"
        were seen on a loaded machine, and on CI for more than a minute right after the second
        DC joined), so it is asked again for up to ``limit`` seconds: a hang guard, not a pace."""
        deadline = time.monotonic() + limit
        while True:
            try:
                self.run(["samba-tool", "drs", "kcc", self.fqdn, f"-U{ADMIN}%{ADMIN_PASSWORD}",
                          "-s", str(self.conf)], timeout=120)  # fmt: skip
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def naming_contexts(self) -> list[str]:
        return [BASE_DN, f"CN=Configuration,{BASE_DN}", f"CN=Schema,CN=Configuration,{BASE_DN}"]

    def replicate_all(self, source: Testbed, *, check: bool = True) -> None:
        """Ask this DC to pull every partition from ``source`` now (``samba-tool drs
        replicate``); a failure is recorded in this DC's ``repsFrom`` as Windows records it."""
        for context in self.naming_contexts():
            self.run(
                ["samba-tool", "drs", "replicate", self.fqdn, source.fqdn, context,
                 f"-U{ADMIN}%{ADMIN_PASSWORD}", "-s", str(self.conf)],
                check=check, timeout=120,
            )  # fmt: skip

    def kinit(self, folder: Path, user: str, password: str) -> dict[str, str]:
        """A Kerberos ticket for ``user`` from this DC's KDC, in a cache under ``folder`` with a
        krb5.conf of its own: the variables that make a client use them (the host's own
        configuration and caches are never touched)."""
        config = folder / "krb5.conf"
        config.write_text(
            f"[libdefaults]\n    default_realm = {REALM}\n    dns_lookup_kdc = false\n"
            "    dns_lookup_realm = false\n    rdns = false\n"
            "    dns_canonicalize_hostname = false\n"
            f"[realms]\n    {REALM} = {{\n        kdc = {self.ip}\n    }}\n"
            f"[domain_realm]\n    .{DOMAIN} = {REALM}\n"
        )
        env = {"KRB5_CONFIG": str(config), "KRB5CCNAME": f"FILE:{folder / 'ccache'}"}
        done = subprocess.run(
            ["ip", "netns", "exec", self.ns, "kinit", f"{user}@{REALM}"],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=dict(os.environ, **env),
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"kinit {user} exited {done.returncode}: {done.stderr[-2000:]}")
        return env

    def drs_options(self, *changes: str) -> None:
        """Change this DC's DSA options (``+DISABLE_OUTBOUND_REPL``, ``-DISABLE_INBOUND_REPL``,
        ...), as ``repadmin /options`` does on Windows."""
        for change in changes:  # one option a call
            self.run(
                ["samba-tool", "drs", "options", self.fqdn, f"--dsa-option={change}",
                 f"-U{ADMIN}%{ADMIN_PASSWORD}", "-s", str(self.conf)],
                timeout=60,
            )  # fmt: skip

    @property
    def ca_file(self) -> Path:
        return self.dir / "private" / "tls" / "ca.pem"

    # --- samba ----------------------------------------------------------------------------
    def start_samba(self, *, faketime: str | None = None, kdc: bool = True) -> None:
        if self.samba is not None and self.samba_mode == (faketime, kdc):
            return
        self.stop_samba()
        env = dict(os.environ)
        if faketime:
            env |= {
                "LD_PRELOAD": FAKETIME_LIB,
                "FAKETIME": faketime,
                "LDB_MODULES_DISABLE_DEEPBIND": "1",
            }
        argv = ["samba", "-s", str(self.conf), "-i", "--maximum-runtime=900"]
        if not kdc:
            argv.append("--option=server services = -kdc")
        log = open(self.dir / "samba.out", "ab")  # noqa: SIM115 - the daemon keeps it open
        self.samba = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.samba_mode = (faketime, kdc)
        self._wait_ports([389, 636] + ([88] if kdc else []), self.samba)

    def stop_samba(self) -> None:
        if self.samba is not None:
            _stop_group(self.samba)
            self.samba = None
            self.samba_mode = None

    # --- chrony -----------------------------------------------------------------------------
    def start_chrony(self, *, faketime: str | None = None) -> None:
        if self.chrony is not None and self.chrony_mode == faketime:
            return
        self.stop_chrony()
        run = self.base / f"chrony-{self.name}"
        run.mkdir(exist_ok=True)
        conf = run / "chrony.conf"
        conf.write_text(
            f"port 123\nbindaddress {self.ip}\nallow all\nlocal stratum 3\ncmdport 0\n"
            f"pidfile {run / 'chronyd.pid'}\ndriftfile {run / 'drift'}\n"
        )
        env = dict(os.environ)
        if faketime:
            env |= {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": faketime}
        self.chrony = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, "chronyd", "-d", "-x", "-u", "root", "-f", str(conf)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.chrony_mode = faketime
        time.sleep(0.3)

    def stop_chrony(self) -> None:
        if self.chrony is not None:
            _stop_group(self.chrony)
            self.chrony = None
            self.chrony_mode = False

    # --- directory content ------------------------------------------------------------------
    def samba_tool(self, *argv: str) -> str:
        return self.run(["samba-tool", *argv, "-s", str(self.conf)])

    def add_computer(self, name: str, spns: Sequence[str]) -> None:
        self.samba_tool(
            "computer", "create", name, *[f"--service-principal-name={s}" for s in spns]
        )
        # Windows sets dNSHostName when a machine joins; samba-tool does not.
        sam = str(self.dir / "private" / "sam.ldb")
        dn = self.run(["ldbsearch", "-H", sam, f"(sAMAccountName={name}$)", "dn"])
        line = next(x for x in dn.splitlines() if x.startswith("dn: "))
        fqdn = f"{name.lower()}.{DOMAIN}"
        change = f"{line}\nchangetype: modify\nreplace: dNSHostName\ndNSHostName: {fqdn}\n"
        self.ldbmodify(change)
        if spns:  # keys for the KDC to issue tickets for the account's SPNs with
            self.samba_tool("user", "setpassword", f"{name}$", f"--newpassword={MACHINE_PASSWORD}")

    def ldbmodify(self, ldif: str, database: str | None = None) -> None:
        path = self.base / "change.ldif"
        path.write_text(ldif)
        self.run(["ldbmodify", "-H", database or str(self.dir / "private" / "sam.ldb"), str(path)])

    def add_spn_bypassing_checks(self, computer: str, spn: str) -> None:
        """Add ``spn`` to a computer account by writing the domain partition's file itself,
        below samba's modules (their check refuses a duplicate SPN). The account's SPNs cannot
        be changed through samba afterwards, which the tests do not need."""
        dn = f"CN={computer},CN=Computers,{BASE_DN}"
        partition = self.dir / "private" / "sam.ldb.d" / f"{BASE_DN.upper()}.ldb"
        change = "changetype: modify\nadd: servicePrincipalName"
        ldif = f"dn: {dn}\n{change}\nservicePrincipalName: {spn}\n"
        self.ldbmodify(ldif, f"tdb://{partition}")

    # --- Exchange in the configuration partition ---------------------------------------------
    def add_exchange_schema(self) -> None:
        """Exchange's receive-connector and server classes (exchange_schema.ldif), written into
        the schema before samba starts: one ldbmodify per part, so that each part sees the
        schema the one before it wrote."""
        text = string.Template(EXCHANGE_SCHEMA.read_text()).substitute(
            SCHEMADN=f"CN=Schema,{CONFIG_DN}"
        )
        sam = str(self.dir / "private" / "sam.ldb")
        for index, part in enumerate(text.split("schemaUpdateNow: 1\n")):
            if "dn: CN=" not in part:
                continue
            path = self.base / f"exchange-schema-{index}.ldif"
            path.write_text(part + "schemaUpdateNow: 1\n")
            self.run(
                ["ldbmodify", "-H", sam, "--option=dsdb:schema update allowed=true", str(path)]
            )
        containers = [
            f"CN=Microsoft Exchange,CN=Services,{CONFIG_DN}",
            f"CN={EXCHANGE_ORG},CN=Microsoft Exchange,CN=Services,{CONFIG_DN}",
            EXCHANGE_SERVERS_DN.split(",", 2)[2],
            EXCHANGE_SERVERS_DN.split(",", 1)[1],
            EXCHANGE_SERVERS_DN,
        ]
        self.ldbadd("".join(f"dn: {dn}\nobjectClass: container\n\n" for dn in containers))

    def add_exchange_server(self, name: str, version: str = "Version 15.2 (Build 1544.4)") -> None:
        """An msExchExchangeServer object as Exchange setup makes it (name, networkAddress with
        the FQDN, site, version), with the Protocols container its connectors live in."""
        dn = f"CN={name},{EXCHANGE_SERVERS_DN}"
        fqdn = f"{name.lower()}.{DOMAIN}"
        self.ldbadd(
            f"dn: {dn}\nobjectClass: msExchExchangeServer\n"
            f"networkAddress: ncacn_ip_tcp:{fqdn}\nnetworkAddress: netbios:{name}\n"
            f"msExchServerSite: CN={SITE},CN=Sites,{CONFIG_DN}\nserialNumber: {version}\n\n"
            f"dn: CN=Protocols,{dn}\nobjectClass: container\n\n"
            f"dn: CN=SMTP Receive Connectors,CN=Protocols,{dn}\nobjectClass: container\n"
        )

    def add_receive_connector(
        self, server: str, name: str, flags: int, bindings: Sequence[str]
    ) -> None:
        """A receive connector of ``server`` with AuthMechanism ``flags``
        (msExchSMTPReceiveInboundSecurityFlag)."""
        dn = f"CN={name},CN=SMTP Receive Connectors,CN=Protocols,CN={server},{EXCHANGE_SERVERS_DN}"
        self.ldbadd(
            f"dn: {dn}\nobjectClass: msExchSmtpReceiveConnector\n"
            f"msExchSMTPReceiveInboundSecurityFlag: {flags}\n"
            + "".join(f"msExchSmtpReceiveBindings: {b}\n" for b in bindings)
            + f"msExchSMTPReceiveConnectorFQDN: {server.lower()}.{DOMAIN}\n"
        )

    def ldbadd(self, ldif: str) -> None:
        path = self.base / "add.ldif"
        path.write_text(ldif)
        self.run(["ldbadd", "-H", str(self.dir / "private" / "sam.ldb"), str(path)])

    # --- teardown ---------------------------------------------------------------------------
    def destroy(self) -> None:
        self.stop_samba()
        self.stop_chrony()
        pids = subprocess.run(
            ["ip", "netns", "pids", self.ns], capture_output=True, text=True, check=False
        ).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", self.ns], check=False, capture_output=True)
        shutil.rmtree(Path("/etc/netns") / self.ns, ignore_errors=True)

    def _wait_ports(
        self, wanted: list[int], process: subprocess.Popen[bytes], limit: float = 30
    ) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"samba exited with {process.returncode}")
            probe = (
                "import socket,sys\n"
                "for p in sys.argv[1:]:\n"
                f"    socket.create_connection(('{self.ip}', int(p)), 1).close()\n"
            )
            done = subprocess.run(
                ["ip", "netns", "exec", self.ns, "python3", "-c", probe, *map(str, wanted)],
                capture_output=True,
                check=False,
            )
            if done.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"samba did not open {wanted} within {limit:g} s")


def _stop_group(process: subprocess.Popen[bytes], limit: float = 10) -> None:
    """SIGTERM the daemon, wait until its process group is empty (the master exits before its
    workers), SIGKILL the group after ``limit`` seconds."""
    pgid = process.pid  # start_new_session: the group is the leader's PID
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        process.poll()
        if not _living_members(pgid):
            break
        time.sleep(0.05)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _living_members(pgid: int) -> list[int]:
    """The processes of group ``pgid`` that are not zombies. Workers whose parent exited are
    reparented to PID 1, which in a container may never reap them: a zombie has ended all the
    same, and waiting for it to leave the group would wait for ever."""
    living = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            living.append(int(entry.name))
    return living


def unused_namespace_name() -> str:
    return f"kbdlive{os.getpid()}x{socket.gethostname()[:4]}".replace("-", "")[:15]
