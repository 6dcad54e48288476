output "registry_id" {
  value = azurerm_container_registry.registry.id
}

output "login_server" {
  value = azurerm_container_registry.registry.login_server
}
