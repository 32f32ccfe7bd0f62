"""One base error for everything a user can be told.

Errors carry an untranslated message id and keyword arguments; the text is translated when it is
shown, so a language switch at run time also changes error messages already raised.
"""

from __future__ import annotations

from gaisafe_desktop.core.i18n import N_, _


class GaisafeError(Exception):
    """Base class of every error the user can act on.

    Args:
        msgid: an English message marked with ``N_()``, with ``{name}`` placeholders.
        **params: values for the placeholders.
    """

    exit_code = 1

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        """The message in the current language, placeholders filled."""
        text = _(self.msgid)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.msgid.format(**self.params)

    def __str__(self) -> str:
        return self.message()


class UsageError(GaisafeError):
    """The user asked for something that cannot be done as asked (bad option, unknown name)."""

    exit_code = 2


class NotFoundError(GaisafeError):
    """A named thing (file, project, framework, record) does not exist."""

    exit_code = 3


class ValidationError(GaisafeError):
    """Input data or a file does not have the form it must have."""

    exit_code = 4


class IntegrityError(GaisafeError):
    """A hash, signature or chain does not verify: something was changed."""

    exit_code = 5


class SchemaTooNewError(GaisafeError):
    """A project file was written by a newer version of the application."""

    exit_code = 6


class CancelledError(GaisafeError):
    """A long job was cancelled by the user. Never shown as an error dialog."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__(N_("Cancelled."))
