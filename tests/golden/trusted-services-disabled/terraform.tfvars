location       = "koreacentral"
resource_group = "rg-registry-private"
registry_name  = "myregistry"
