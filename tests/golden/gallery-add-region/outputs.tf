# A template that adds regions must restate the whole image version, its source included: use the Azure CLI or PowerShell script, which add the regions to the version as it is.
