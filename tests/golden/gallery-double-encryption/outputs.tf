output "image_version_id" {
  value = azurerm_shared_image_version.image_version.id
}
