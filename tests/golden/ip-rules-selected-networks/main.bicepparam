using 'main.bicep'

param location = 'japaneast'

param registryName = 'contosoedgeregistry'

param tags = {
  'cost-center': 'platform'
  owner: 'Team "Edge" — 엣지 팀'
}

param ipRule0 = '203.0.113.7'

param ipRule1 = '198.51.100.0/24'
