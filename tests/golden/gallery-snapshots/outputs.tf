output "image_version_id" {
  value = azapi_resource.image_version.id
}
