# Change container registry 'contosocmkregistry': switch to its system-assigned identity and close the key vault's firewall
#
# Not a Terraform configuration: declaring a resource that exists makes Terraform own it (terraform import, then a configuration that restates all of it, and a later terraform destroy deletes it). azapi_update_resource could patch the one setting, but it checks nothing first and cannot ask before access is taken away, as the scripts do. Use the Azure CLI or PowerShell script.
