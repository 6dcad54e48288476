location       = "koreacentral"
resource_group = "rg-registry-cmk"
registry_name  = "contosocmkregistry"
tags = {
  "environment" = "production"
}
identity_name  = "id-registry-cmk"
key_vault_name = "kv-registry-cmk-01"
key_name       = "registry-cmk"
