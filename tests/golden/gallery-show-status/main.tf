# Change gallery image version contoso_gallery/ubuntu-2204-gen2/2.1.0: show its regions and their disk encryption sets
#
# Not a Terraform configuration: declaring a resource that exists makes Terraform own it (terraform import, then a configuration that restates all of it, and a later terraform destroy deletes it). azapi_update_resource could patch the one setting, but it checks nothing first and cannot ask before access is taken away, as the scripts do. Use the Azure CLI or PowerShell script.
