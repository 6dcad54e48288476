// Change gallery image version contoso_gallery/ubuntu-2204-gen2/2.1.0: show its regions and their disk encryption sets
//
// Showing what a registry has now is not a deployment: use the Azure CLI or PowerShell script, which change nothing.
