location       = "japaneast"
resource_group = "rg-registry-edge"
registry_name  = "contosoedgeregistry"
tags = {
  "cost-center" = "platform"
  "owner"       = "Team \"Edge\" — 엣지 팀"
}
ip_rule0 = "203.0.113.7/32"
ip_rule1 = "198.51.100.0/24"
