variable "location" {
  description = "Azure region of the resources"
  type        = string
}

variable "resource_group" {
  description = "Resource group of the registry"
  type        = string
}

variable "registry_name" {
  description = "Name of the container registry (5-50 lowercase letters and digits)"
  type        = string

  validation {
    condition     = length(var.registry_name) >= 5 && length(var.registry_name) <= 50
    error_message = "registry_name must be 5 to 50 characters long"
  }
}

variable "subscription_id" {
  description = "Subscription of the deployment"
  type        = string
}

variable "identity_name" {
  description = "User-assigned managed identity used for the key at creation"
  type        = string

  validation {
    condition     = length(var.identity_name) >= 3 && length(var.identity_name) <= 128
    error_message = "identity_name must be 3 to 128 characters long"
  }
}

variable "identity_resource_group" {
  description = "Resource group of the managed identity"
  type        = string

  validation {
    condition     = length(var.identity_resource_group) >= 1 && length(var.identity_resource_group) <= 90
    error_message = "identity_resource_group must be 1 to 90 characters long"
  }
}

variable "key_vault_name" {
  description = "Key vault holding the customer-managed key"
  type        = string

  validation {
    condition     = length(var.key_vault_name) >= 3 && length(var.key_vault_name) <= 24
    error_message = "key_vault_name must be 3 to 24 characters long"
  }
}

variable "key_vault_resource_group" {
  description = "Resource group of the key vault"
  type        = string

  validation {
    condition     = length(var.key_vault_resource_group) >= 1 && length(var.key_vault_resource_group) <= 90
    error_message = "key_vault_resource_group must be 1 to 90 characters long"
  }
}

variable "key_uri" {
  description = "Key URI (versionless for automatic rotation)"
  type        = string
}
