"""What every capability's pages share: layout, navigation registry, organisation scoping, forms."""
