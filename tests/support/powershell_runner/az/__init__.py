"""Az cmdlet models over the Azure stand-in's state (tests/support/azure_standin/standin.py).

One module per Az module; importing this package registers every cmdlet (commands.command).
Each model cites the azure-powershell source its behaviour and output are read from;
MODEL CHOICE (unverified) marks what could not be read there.
"""

from . import accounts, compute, identity, keyvault, registry, resources, rest  # noqa: F401
