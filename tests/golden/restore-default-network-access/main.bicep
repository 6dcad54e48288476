// Change container registry 'contosoedgeregistry': restore default network access
//
// Changing a live registry's network rules with a template means restating the whole registry (every rule and setting): use the Azure CLI or PowerShell script.
