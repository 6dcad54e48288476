# This change needs the registry's identity switched and then the vault firewall closed, in order and each checked: use the Azure CLI or PowerShell script.
