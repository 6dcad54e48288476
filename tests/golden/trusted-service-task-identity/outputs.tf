# ACR tasks and their credentials are set up by the Azure CLI or PowerShell script; a template would have to restate the registry.
