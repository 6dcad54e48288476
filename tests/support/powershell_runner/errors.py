"""The two ways a run stops early: a PowerShell error, or something the runner does not model."""


class Unmodelled(Exception):
    """A construct, command, parameter, member or value the runner does not model.

    The run stops and the test fails: a runner that passes over what it does not
    understand proves nothing. Never caught by `try`/`catch` in the script.
    """


class PSError(Exception):
    """A PowerShell error record (about_Error_Handling, about_Try_Catch_Finally).

    message         the exception's Message, which `"$_"` and the error view print
    error_id        FullyQualifiedErrorId ("Conflict,Microsoft.Azure.Commands...")
    category        ErrorCategory name ("InvalidOperation", "ObjectNotFound", ...)
    exception_type  the .NET type of the exception, for `catch [Type]`
    terminating     False: written with WriteError (non-terminating; `-ErrorAction`
                    and `$ErrorActionPreference` decide what happens); True: thrown
                    (ThrowTerminatingError, `throw`, a .NET exception)
    """

    def __init__(self, message, error_id="", category="NotSpecified",
                 exception_type="System.Management.Automation.RuntimeException", terminating=True, target=None):
        super().__init__(message)
        self.message = message
        self.error_id = error_id
        self.category = category
        self.exception_type = exception_type
        self.terminating = terminating
        self.target = target


class ExitScript(Exception):
    """`exit N`."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code
