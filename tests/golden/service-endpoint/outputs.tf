output "registry_id" {
  value = azapi_resource.registry.id
}

output "login_server" {
  value = azapi_resource.registry.output.properties.loginServer
}
