"""Server passwords in the OS keyring (the `keyring` package), filed by password-less URL.

Optional: without the package, or with no usable backend (headless Linux without a Secret
Service), nothing is stored and the app asks for the password each time.
"""

from __future__ import annotations

import logging

from annotator.core.storage.engine import SERVER_EXTRA, hold_password
from annotator.core.storage.server import has_password

log = logging.getLogger(__name__)
SERVICE = "annotator"


def keyring_problem() -> str | None:
    """Why passwords cannot be kept in the system keyring here; None when they can."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return f"The keyring package is not installed ({SERVER_EXTRA})."
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend configuration must not stop the dialog
        return f"The system keyring cannot be used ({exc})."
    if isinstance(backend, fail.Keyring | null.Keyring):
        return (
            "No system keyring is available here (e.g. no Secret Service running), "
            "so the password is asked for each time."
        )
    return None


def saved_password(url: str) -> str | None:
    """The password kept for `url`, or None (none kept, or no usable keyring)."""
    if keyring_problem():
        return None
    import keyring

    try:
        return keyring.get_password(SERVICE, url)
    except Exception as exc:  # a locked or broken keyring: ask instead
        log.warning("cannot read the system keyring: %s", type(exc).__name__)
        return None


def save_password(url: str, password: str) -> str | None:
    """Keep the password for `url`; why it could not be kept, or None when it was."""
    problem = keyring_problem()
    if problem:
        return problem
    import keyring

    try:
        keyring.set_password(SERVICE, url, password)
    except Exception as exc:
        log.warning("cannot write to the system keyring: %s", type(exc).__name__)
        return f"The system keyring refused the password ({type(exc).__name__})."
    return None


def forget_password(url: str) -> None:
    """Remove a kept password for `url`, if there is one."""
    if keyring_problem():
        return
    import keyring
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, url)
    except PasswordDeleteError:
        pass  # none was kept
    except Exception as exc:
        log.warning("cannot update the system keyring: %s", type(exc).__name__)


def hold_saved_password(url: str) -> None:
    """Hand the engine the password kept for `url` (a URL carrying its own needs none).

    Plain Python, no Qt: the project opener calls it on its worker thread, since a keyring
    may be slow to answer (D-Bus, an unlock prompt).
    """
    if has_password(url):
        return
    password = saved_password(url)
    if password:
        hold_password(url, password)
