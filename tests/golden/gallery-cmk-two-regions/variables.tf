variable "location" {
  description = "Azure region of the resources"
  type        = string
}

variable "resource_group" {
  description = "Resource group of the registry"
  type        = string
}

variable "subscription_id" {
  description = "Subscription of the deployment"
  type        = string
}

variable "gallery_name" {
  description = "Name of the existing gallery"
  type        = string

  validation {
    condition     = length(var.gallery_name) >= 1 && length(var.gallery_name) <= 80
    error_message = "gallery_name must be 1 to 80 characters long"
  }
}

variable "image_definition_name" {
  description = "Name of the existing image definition"
  type        = string

  validation {
    condition     = length(var.image_definition_name) >= 1 && length(var.image_definition_name) <= 80
    error_message = "image_definition_name must be 1 to 80 characters long"
  }
}

variable "image_version" {
  description = "Image version MAJOR.MINOR.PATCH"
  type        = string
}

variable "managed_image_id" {
  description = "Resource ID of the source managed image"
  type        = string
}

variable "target_region0" {
  description = "Target region of the image version, by its display name as Azure returns it (West US, not westus)"
  type        = string
}

variable "os_disk_encryption_set_id0" {
  description = "Disk encryption set of the OS disk in this target region"
  type        = string
}

variable "data_disk_encryption_set_id0_lun0" {
  description = "Disk encryption set of a data disk (by LUN) in this target region"
  type        = string
}

variable "target_region1" {
  description = "Target region of the image version, by its display name as Azure returns it (West US, not westus)"
  type        = string
}

variable "os_disk_encryption_set_id1" {
  description = "Disk encryption set of the OS disk in this target region"
  type        = string
}

variable "data_disk_encryption_set_id1_lun0" {
  description = "Disk encryption set of a data disk (by LUN) in this target region"
  type        = string
}
