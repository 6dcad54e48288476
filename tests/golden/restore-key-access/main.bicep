// Change container registry 'contosocmkregistry': restore its access to its key
//
// Revoking or restoring key access removes or adds a grant on a live vault, which a template cannot take away: use the Azure CLI or PowerShell script.
