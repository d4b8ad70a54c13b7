"""The live options of ``kbdoctor collect`` on the command line: read from the options, a user
and a password asked for on a terminal only (the password by getpass, never echoed or printed),
and options that cannot be used said on standard error."""

from __future__ import annotations

import argparse
import io

import pytest

from kbdoctor.collect_command import add_collect_parser, run_collect
from kbdoctor.live_command import add_live_arguments, options_from_args


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host")
    add_live_arguments(parser, "en")
    return parser.parse_args(list(argv))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_options_are_read_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBD_PW", "s3cret-value")
    args = _args("--domain", "Corp.Example.Test.", "--dc", "dc1,dc2", "--dc", "dc3",
                 "--exchange", "EX01,EX02", "--user", "admin", "--password-env", "KBD_PW",
                 "--timeout", "1.5", "--host", "EX01", "--insecure")  # fmt: skip
    opts = options_from_args(args, "en", io.StringIO())
    assert opts is not None
    assert opts.domain == "corp.example.test"
    assert opts.dcs == ("dc1", "dc2", "dc3")
    assert opts.exchange == ("EX01", "EX02")
    assert (opts.timeout, opts.local_host, opts.insecure) == (1.5, "EX01", True)
    assert opts.password is not None
    assert opts.password.reveal() == "s3cret-value"


def test_options_without_user_or_ticket_ask_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kbdoctor.collectors.live.options.ticket_principal", lambda: None)
    monkeypatch.setattr("getpass.getpass", lambda prompt: "typed-Secret-9")
    monkeypatch.setattr("sys.stdin", _Terminal("admin\n"))
    err = io.StringIO()
    opts = options_from_args(_args("--domain", "corp.example.test"), "en", err)
    assert opts is not None
    assert opts.user == "admin"
    assert opts.password is not None
    assert opts.password.reveal() == "typed-Secret-9"
    assert "no --user and no Kerberos ticket" in err.getvalue()
    assert "typed-Secret-9" not in err.getvalue() + repr(opts)
    monkeypatch.setattr("sys.stdin", _Terminal("\n"))  # nothing typed: anonymous
    opts = options_from_args(_args("--domain", "corp.example.test"), "pl", io.StringIO())
    assert opts is not None
    assert not opts.authenticated
    assert opts.bind_description() == "anonymous: the rootDSE only"


def test_the_password_of_a_user_given_is_asked_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return "typed-Secret-9"

    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    opts = options_from_args(_args("--domain", "x.test", "--user", "admin"), "en", io.StringIO())
    assert opts is not None
    assert opts.password is not None
    assert (prompts, opts.password.reveal()) == (["admin: "], "typed-Secret-9")


def test_options_without_user_or_ticket_in_a_script_stay_anonymous(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kbdoctor.collectors.live.options.ticket_principal", lambda: None)
    monkeypatch.setattr("sys.stdin", io.StringIO("admin\n"))  # not a terminal: never read
    err = io.StringIO()
    opts = options_from_args(_args("--domain", "corp.example.test"), "en", err)
    assert opts is not None
    assert (opts.user, opts.kerberos_principal) == (None, None)
    assert err.getvalue() == ""


def test_options_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KBD_PW", raising=False)
    err = io.StringIO()
    assert options_from_args(_args("--domain", "x.test", "--user", "u", "--password-env", "KBD_PW"),
                             "en", err) is None  # fmt: skip
    assert err.getvalue() == "--password-env KBD_PW: the variable is not set\n"
    err = io.StringIO()
    assert options_from_args(_args("--domain", "x.test", "--timeout", "0"), "en", err) is None
    assert err.getvalue() == "--timeout must be a number of seconds above 0\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    err = io.StringIO()
    assert options_from_args(_args("--domain", "x.test", "--user", "u"), "en", err) is None
    assert err.getvalue() == (
        "--user needs a password: give --password-env VAR (no terminal to ask on)\n"
    )


def test_live_option_without_domain_is_a_usage_error() -> None:
    parser = argparse.ArgumentParser()
    add_collect_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["collect", "--dc", "dc1"])
    err = io.StringIO()
    assert run_collect(args, stderr=err) == 2
    assert "--dc needs --domain" in err.getvalue()
