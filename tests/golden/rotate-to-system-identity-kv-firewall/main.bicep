// Change container registry 'contosocmkregistry': switch to its system-assigned identity and close the key vault's firewall
//
// This change needs the registry's identity switched and then the vault firewall closed, in order and each checked: use the Azure CLI or PowerShell script.
