"""The commands a script can call, and the contract between the interpreter and them.

A command is a Python function registered with `@command`. The interpreter
(interp.py) binds a call's arguments to the declared parameters and calls
`fn(call)`; the function returns (or yields) its output objects.

Binding (about_Parameters, about_Command_Syntax), done by the interpreter:
  * a parameter is named in full or by an alias, case-insensitively; a prefix,
    a positional argument or a name the command does not declare is Unmodelled
    (the generated scripts name every parameter in full); a command may declare
    positional parameters (`Param(position=0)`, `remaining=True` for
    ValueFromRemainingArguments), as PowerShell's own commands do (builtins.py);
  * a `switch` takes no value (`-Force`), or `-Force:$false`; any other
    parameter takes the next argument (`-Name $x`) or `-Name:$x`;
  * `-ErrorAction` (Stop, Continue, SilentlyContinue, Ignore) is handled by the
    interpreter for every command and never reaches `fn`; every other common
    parameter (-Verbose, -WhatIf, -OutVariable, ...) is Unmodelled;
  * pipeline input reaches `fn` as `call.input` (a list, empty without a pipe),
    never bound to a parameter: a command that takes pipeline input says so
    with `pipeline=True`, any other command given input is Unmodelled.

Errors: `fn` raises errors.PSError. terminating=False is a WriteError (what Az
cmdlets do with a service error: AzurePSCmdlet and AutoRest's generated
cmdlets both write errors, so `-ErrorAction SilentlyContinue` hides them and
`$ErrorActionPreference = 'Stop'` turns them into terminating errors);
terminating=True is ThrowTerminatingError or a .NET exception. errors.Unmodelled
for a value, parameter combination or resource the model does not know.

Az models (az/*.py) also declare `module` (for #Requires) and cite `source`:
the azure-powershell file their behaviour and output are read from.
"""

from dataclasses import dataclass, field


@dataclass
class Param:
    name: str
    switch: bool = False
    aliases: tuple = ()
    position: int = None    # binds the N-th positional argument (None: named only)
    remaining: bool = False  # with position: takes every remaining positional argument (a list if several)


@dataclass
class Command:
    name: str
    fn: object
    params: dict            # lower-case name or alias -> Param
    source: str = ""        # where the behaviour is modelled from
    module: str = ""        # Az module, for #Requires checks ("" for PowerShell's own)
    mutating: bool = False  # changes Azure state (for failure injection and call logs)
    pipeline: bool = False  # takes pipeline input
    az: bool = False        # an Az cmdlet: counted as a call, may fail transiently


@dataclass
class Call:
    """One invocation, as `fn` sees it."""
    host: object                                # host.Host
    name: str                                   # the command's canonical name
    params: dict = field(default_factory=dict)  # canonical parameter name -> bound value (switch: bool)
    input: list = field(default_factory=list)   # pipeline input objects
    interp: object = None                       # the interpreter (script blocks: interp.invoke(block, ...))

    def has(self, name):
        return name in self.params

    def get(self, name, default=None):
        return self.params.get(name, default)


COMMANDS = {}  # lower-case name -> Command


def command(name, params=(), source="", module="", mutating=False, pipeline=False, az=None):
    """Registers a command. `params`: Param objects, or plain names (value parameters)."""
    def deco(fn):
        table = {}
        for p in params:
            p = p if isinstance(p, Param) else Param(p)
            for n in (p.name,) + tuple(p.aliases):
                if n.lower() in table:
                    raise ValueError("{}: parameter {} declared twice".format(name, n))
                table[n.lower()] = p
        is_az = az if az is not None else bool(module)
        COMMANDS[name.lower()] = Command(name, fn, table, source, module, mutating, pipeline, is_az)
        return fn
    return deco


def lookup(name):
    """The command named `name` (case-insensitive), or None."""
    return COMMANDS.get(name.lower())
