// Change container registry 'contosoedgeregistry': add network rules and deny other networks
//
// Changing a live registry's network rules with a template means restating the whole registry (every rule and setting): use the Azure CLI or PowerShell script.
