// Change container registry 'contosocmkregistry': show its encryption, identities and network rules
//
// Showing what a registry has now is not a deployment: use the Azure CLI or PowerShell script, which change nothing.
