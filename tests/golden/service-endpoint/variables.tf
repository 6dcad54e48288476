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

variable "vnet_name0" {
  description = "Virtual network of an allowed subnet"
  type        = string
}

variable "subnet_name0" {
  description = "Allowed subnet"
  type        = string
}

variable "subnet_id1" {
  description = "Resource ID of a subnet to allow"
  type        = string
}
