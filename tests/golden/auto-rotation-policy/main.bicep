// Change container registry 'contosocmkregistry': rotate its key automatically (Key Vault rotation policy)
//
// An ARM template cannot rotate a live registry's key safely: a redeployment would have to restate the whole registry. Use the Azure CLI or PowerShell script.
