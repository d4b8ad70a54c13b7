"""Kerberos error codes by number and by name, so that ``37``, ``0x25``, ``KRB_AP_ERR_SKEW`` and the
Windows status that carries it (``0xC0000133``) all meet in one canonical name."""

from __future__ import annotations

# RFC 4120 section 7.5.9 error codes that matter for Exchange server-to-server authentication.
KRB_ERRORS: dict[int, str] = {
    6: "KDC_ERR_C_PRINCIPAL_UNKNOWN",
    7: "KDC_ERR_S_PRINCIPAL_UNKNOWN",
    8: "KDC_ERR_PRINCIPAL_NOT_UNIQUE",
    14: "KDC_ERR_ETYPE_NOSUPP",
    18: "KDC_ERR_CLIENT_REVOKED",
    23: "KDC_ERR_KEY_EXPIRED",
    24: "KDC_ERR_PREAUTH_FAILED",
    25: "KDC_ERR_PREAUTH_REQUIRED",
    31: "KRB_AP_ERR_BAD_INTEGRITY",
    32: "KRB_AP_ERR_TKT_EXPIRED",
    33: "KRB_AP_ERR_TKT_NYV",
    34: "KRB_AP_ERR_REPEAT",
    37: "KRB_AP_ERR_SKEW",
    41: "KRB_AP_ERR_MODIFIED",
    68: "KDC_ERR_WRONG_REALM",
}

# Windows NTSTATUS / SSPI / Win32 values that klist and event logs print for the same errors.
WINDOWS_STATUS: dict[int, str] = {
    0xC0000133: "KRB_AP_ERR_SKEW",  # STATUS_TIME_DIFFERENCE_AT_DC
    0x80090324: "KRB_AP_ERR_SKEW",  # SEC_E_TIME_SKEW
    0x00000576: "KRB_AP_ERR_SKEW",  # ERROR_TIME_SKEW (1398)
    0xC000018B: "KDC_ERR_S_PRINCIPAL_UNKNOWN",  # STATUS_NO_TRUST_SAM_ACCOUNT
    0x80090303: "KDC_ERR_S_PRINCIPAL_UNKNOWN",  # SEC_E_TARGET_UNKNOWN
    0xC0000225: "KDC_ERR_S_PRINCIPAL_UNKNOWN",  # STATUS_NOT_FOUND (LsaCallAuthenticationPackage)
    0x80090322: "KRB_AP_ERR_MODIFIED",  # SEC_E_WRONG_PRINCIPAL
    0x80090311: "KDC_UNREACHABLE",  # SEC_E_NO_AUTHENTICATING_AUTHORITY
    0xC000005E: "KDC_UNREACHABLE",  # STATUS_NO_LOGON_SERVERS
    0x0000051F: "KDC_UNREACHABLE",  # ERROR_NO_LOGON_SERVERS (1311)
}

KNOWN_NAMES = frozenset(KRB_ERRORS.values()) | frozenset(WINDOWS_STATUS.values())


def kerberos_code(raw: str | int) -> str:
    """The canonical name of a Kerberos error given as a name, a decimal or hex number, or a
    Windows status; unknown values come back unchanged (upper case, trimmed)."""
    if isinstance(raw, int):
        return KRB_ERRORS.get(raw) or WINDOWS_STATUS.get(raw & 0xFFFFFFFF) or str(raw)
    text = raw.strip().upper()
    if text in KNOWN_NAMES:
        return text
    try:
        number = int(text, 16) if text.startswith("0X") else int(text)
    except ValueError:
        return text
    if number < 0:
        number &= 0xFFFFFFFF
    return KRB_ERRORS.get(number) or WINDOWS_STATUS.get(number) or text
