"""Az cmdlet models over the Azure stand-in's state (tests/support/azure_standin/standin.py).

One module per Az module; importing this package registers every cmdlet (commands.command).
Each model cites the azure-powershell source its behaviour and output are read from;
MODEL CHOICE (unverified) marks what could not be read there.
"""

if __name__ != "az":
    # (unittest discovery started inside powershell_runner imports this folder as a top-level package "az",
    # where the relative imports cannot work: it finds no tests here either way)
    from . import accounts, compute, identity, keyvault, registry, resources, rest  # noqa: F401
