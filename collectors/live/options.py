"""The options of a live collection, from what the engineer gave: the domain, the machines, the
timeout, and how to bind.

Authentication: a user with a password, or else the caller's Kerberos ticket (GSSAPI, see
:mod:`.gss`); with neither, the caller is asked for a user (empty: anonymous, the rootDSE only),
and where nobody can be asked (a script) the collection stays anonymous. The password comes
only from the environment variable the engineer names, or from the caller's prompt; it is never
an option's value (which ``ps`` shows), and it is kept in a :class:`.model.Secret`, which no
message, log line or fact can print.

Asking is the caller's: the command line passes callables that prompt on its terminal
(``kbdoctor/live_command.py``), or None where there is no terminal. Nothing here reads or writes
a terminal; options that cannot be used raise :class:`LiveOptionsRefused`, which the caller
shows in its own way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kbdoctor.collectors.live.gss import ticket_principal
from kbdoctor.collectors.live.model import LiveOptions, Secret
from kbdoctor.collectors.messages import message
from kbdoctor.engine.i18n import Lang

DEFAULT_TIMEOUT_S = 5.0

AskUser = Callable[[], str]  # the user to bind as, as typed (empty: anonymous)
PromptPassword = Callable[[str], str]  # the password of the user named, typed unseen


class LiveOptionsRefused(Exception):
    """Options a live collection cannot use; ``key`` names the text (``collect.live.<key>``)."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(key)

    def render(self, lang: Lang) -> str:
        return message(f"live.{self.key}", lang, **self.values)


def _names(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def parse_timeout(value: str | None) -> float:
    """Seconds a probe waits, from what was typed (None: the default); above 0, under an hour."""
    if value is None:
        return DEFAULT_TIMEOUT_S
    try:
        timeout = float(value)
    except ValueError:
        timeout = -1.0
    if not 0 < timeout < 3600:
        raise LiveOptionsRefused("bad_timeout")
    return timeout


def live_options(
    *,
    domain: str,
    dcs: Sequence[str] = (),
    exchange: Sequence[str] = (),
    user: str | None = None,
    password_env: str | None = None,
    ca_file: str | None = None,
    insecure: bool = False,
    timeout: str | None = None,
    dns_server: str | None = None,
    local_host: str | None = None,
    tickets: bool = False,
    ask_user: AskUser | None = None,
    prompt_password: PromptPassword | None = None,
    environ: Mapping[str, str] = os.environ,
) -> LiveOptions:
    """The runner's options; ``dcs`` and ``exchange`` as given (each may list names separated by
    commas). ``ask_user`` and ``prompt_password`` are how to ask, None when nobody can be asked.
    Raises :class:`LiveOptionsRefused` for options that cannot be used."""
    seconds = parse_timeout(timeout)
    password: Secret | None = None
    principal: str | None = None
    if not user:
        principal = ticket_principal()
        if principal is None and ask_user is not None:
            # Neither a user nor a ticket: ask, as the password is asked for (empty: anonymous).
            user = ask_user().strip() or None
            if user and not password_env and prompt_password is not None:
                password = Secret(prompt_password(user))
    if user and password is None:
        if password_env:
            value = environ.get(password_env)
            if value is None:
                raise LiveOptionsRefused("no_password", var=password_env)
            password = Secret(value)
        elif prompt_password is not None:
            password = Secret(prompt_password(user))
        else:
            raise LiveOptionsRefused("no_prompt")
    return LiveOptions(
        domain=domain.strip().rstrip(".").lower(),
        dcs=_names(dcs),
        exchange=_names(exchange),
        user=user,
        password=password,
        ca_file=ca_file,
        insecure=insecure,
        timeout=seconds,
        dns_server=dns_server,
        local_host=local_host,
        tickets=tickets,
        kerberos_principal=principal,
    )


def interrupted(environment: dict[str, str] | None) -> bool:
    """Whether a live collection's environment says Ctrl-C cut it short."""
    from kbdoctor.collectors.live.runner import INCOMPLETE

    return bool(environment) and (environment or {}).get(INCOMPLETE) == "interrupted"
