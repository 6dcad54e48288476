// Change container registry 'myregistry': let an ACR task in with its system-assigned identity
//
// ACR tasks and their credentials are set up by the Azure CLI or PowerShell script; a template would have to restate the registry.
