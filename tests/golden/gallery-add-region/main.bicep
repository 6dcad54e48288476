// Change gallery image version contoso_gallery/ubuntu-2204-gen2/2.1.0: replicate an image version to more regions
//
// A template that adds regions must restate the whole image version, its source included: use the Azure CLI or PowerShell script, which add the regions to the version as it is.
