"""Exceptions raised by the printer package.

The app catches ``PrinterError`` around a send; ``PrinterConfigError`` means the
configured URL or option is wrong and retrying will not help.
"""


class PrinterError(Exception):
    """Sending a job (or asking for status) failed."""


class PrinterOfflineError(PrinterError):
    """The printer could not be reached: refused, unplugged, no route, timed out.

    Retrying later may succeed, so the spooler treats it like any PrinterError.
    """


class PrinterConfigError(PrinterError):
    """A printer URL, scheme, option or paper width is invalid (not worth retrying)."""
