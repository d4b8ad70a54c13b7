"""The caller's Kerberos ticket, found the way GSSAPI finds it (``KRB5CCNAME``, else the
default credential cache): a live collection without ``--user`` binds to LDAP with it.

The ``gssapi`` package (python-gssapi, built against MIT Kerberos) is imported here only, and
only when a live collection runs without ``--user``; without it, or without a ticket that is
still valid, there is no ticket and the collection falls back to a prompt or to anonymous.
"""

from __future__ import annotations


def ticket_principal() -> str | None:
    """The principal of a valid initiator credential in the default cache, or None."""
    try:
        import gssapi
        from gssapi.raw.misc import GSSError
    except ImportError:
        return None
    try:
        credentials = gssapi.Credentials(usage="initiate")
        if credentials.lifetime is not None and credentials.lifetime <= 0:
            return None
        return str(credentials.name)
    except GSSError:
        return None  # no cache, an empty one, or only expired tickets


def copy_ticket(ccache: str) -> None:
    """Store the caller's credentials into ``ccache`` (``FILE:<path>``): ``kvno`` then asks
    for service tickets on a private cache and configuration, and the caller's own cache is
    left as it was. Raises OSError when there is no ticket to copy or the copy fails."""
    try:
        import gssapi
        from gssapi.raw.misc import GSSError
    except ImportError as error:
        raise OSError("the gssapi package is not installed") from error
    try:
        credentials = gssapi.Credentials(usage="initiate")
        credentials.store(
            store={"ccache": ccache}, usage="initiate", overwrite=True, set_default=True
        )
    except GSSError as error:
        raise OSError(f"the Kerberos ticket could not be copied: {error}") from error
