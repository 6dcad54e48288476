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

variable "tags" {
  description = "Tags for every resource created"
  type        = map(string)
}

variable "ip_rule0" {
  description = "IPv4 address or CIDR range allowed to reach the registry"
  type        = string

  validation {
    condition     = can(cidrhost(var.ip_rule0, 0))
    error_message = "ip_rule0 must be an IPv4 range in CIDR form, a.b.c.d/32 for one address: azurerm reads a single address back with /32, and any other form shows a change on every plan"
  }
}

variable "ip_rule1" {
  description = "IPv4 address or CIDR range allowed to reach the registry"
  type        = string

  validation {
    condition     = can(cidrhost(var.ip_rule1, 0))
    error_message = "ip_rule1 must be an IPv4 range in CIDR form, a.b.c.d/32 for one address: azurerm reads a single address back with /32, and any other form shows a change on every plan"
  }
}
