using 'main.bicep'

// Not in Bicep yet: this deployment reaches into another resource group (where the key vault or the identity is), which Bicep does with a module in a file of its own. Deploy template.json with parameters.json instead: it is the same deployment.
